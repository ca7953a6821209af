// The machine monitor, as qemu's human monitor (HMP): line commands that
// look at and steer a running machine (`help` lists them). It is reached
// by Ctrl-a c on the console (-nographic multiplexes the two, as qemu's
// mon:stdio does), from the start with -monitor stdio, or over a Unix
// socket (-monitor unix:PATH,server,nowait), one client at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace xlat {
class Disassembler;
}

namespace xlat::sysemu {

class Machine;
class Snapshots;

class Monitor {
public:
  // Snapshots go to (and come from) snapshots.
  Monitor(Machine &m, Snapshots &snapshots);
  ~Monitor();

  // Runs one command line and returns what it prints (lines ending in
  // '\n'). Bad input is one line of error; the machine goes on.
  std::string execute(const std::string &line);
  static constexpr const char *kPrompt = "(xlat) ";
  static constexpr const char *kBanner =
      "xlat-system monitor - type 'help' for more information\n";

  // Serves the Unix socket at path on a thread of the monitor's own.
  bool listen(const std::string &path, std::string &err);

private:
  std::string info(const std::string &what, const std::string &args);
  std::string infoRegisters(bool all);
  std::string examine(bool physical, const std::string &fmt,
                      const std::string &addr);
  bool parseAddress(const std::string &text, uint64_t &v);
  void serve();

  Machine &m_;
  Snapshots &snapshots_;
  unsigned cpu_ = 0; // the hart `x` and `info registers` look at
  std::unique_ptr<Disassembler> disasm_;
  bool disasmTried_ = false;
  int listenFd_ = -1;
  std::string path_;
  std::thread thread_;
};

} // namespace xlat::sysemu
