#include "sysemu/fdt.h"

#include "sysemu/devices/devices.h"
#include "sysemu/machine.h"

#include <initializer_list>
#include <libfdt.h>

namespace xlat::sysemu {

namespace {

// Sequential-write helper: the first libfdt error sticks and ends the build.
class FdtWriter {
public:
  explicit FdtWriter(size_t size) : buf_(size) {
    check(fdt_create(buf_.data(), buf_.size()));
    check(fdt_finish_reservemap(buf_.data()));
  }
  void begin(const std::string &name) { check(fdt_begin_node(buf_.data(), name.c_str())); }
  void end() { check(fdt_end_node(buf_.data())); }
  void empty(const char *name) { check(fdt_property(buf_.data(), name, nullptr, 0)); }
  void u32(const char *name, uint32_t v) { check(fdt_property_u32(buf_.data(), name, v)); }
  void cells(const char *name, std::initializer_list<uint32_t> vs) {
    std::vector<fdt32_t> be;
    for (uint32_t v : vs)
      be.push_back(cpu_to_fdt32(v));
    check(fdt_property(buf_.data(), name, be.data(), be.size() * sizeof(fdt32_t)));
  }
  void cells(const char *name, const std::vector<uint32_t> &vs) {
    std::vector<fdt32_t> be;
    for (uint32_t v : vs)
      be.push_back(cpu_to_fdt32(v));
    check(fdt_property(buf_.data(), name, be.data(), be.size() * sizeof(fdt32_t)));
  }
  // <base size> with two cells each.
  void reg(uint64_t base, uint64_t size) {
    cells("reg", {uint32_t(base >> 32), uint32_t(base), uint32_t(size >> 32),
                  uint32_t(size)});
  }
  void str(const char *name, const std::string &v) {
    check(fdt_property_string(buf_.data(), name, v.c_str()));
  }
  // A string list ("a", "b").
  void strs(const char *name, std::initializer_list<const char *> vs) {
    std::string joined;
    for (const char *v : vs)
      joined.append(v).push_back('\0');
    check(fdt_property(buf_.data(), name, joined.data(), joined.size()));
  }
  std::vector<uint8_t> finish(std::string &err) {
    check(fdt_finish(buf_.data()));
    if (error_) {
      err = std::string("device tree: ") + fdt_strerror(error_);
      return {};
    }
    buf_.resize(fdt_totalsize(buf_.data()));
    return std::move(buf_);
  }

private:
  void check(int r) {
    if (r < 0 && !error_)
      error_ = r;
  }
  std::vector<uint8_t> buf_;
  int error_ = 0;
};

std::string hex(uint64_t v) {
  char b[32];
  snprintf(b, sizeof b, "%llx", (unsigned long long)v);
  return b;
}

} // namespace

std::vector<uint8_t> buildFdt(const Machine &m, const FdtBootInfo &boot,
                              std::string &err) {
  const MachineConfig &cfg = m.config();
  unsigned harts = cfg.harts;
  // phandles: each hart's cpu node and its interrupt controller, then the
  // PLIC and the test device.
  auto cpuPh = [](unsigned h) { return 1 + 2 * h; };
  auto intcPh = [](unsigned h) { return 2 + 2 * h; };
  uint32_t plicPh = 1 + 2 * harts, testPh = plicPh + 1;

  FdtWriter w(64 << 10);
  w.begin("");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "riscv-virtio");
  w.str("model", "riscv-virtio,xlat");

  w.begin("chosen");
  if (!cfg.append.empty())
    w.str("bootargs", cfg.append);
  w.str("stdout-path", "/soc/serial@" + hex(Machine::kUartBase));
  if (boot.initrdEnd) {
    w.cells("linux,initrd-start", {uint32_t(boot.initrdStart >> 32), uint32_t(boot.initrdStart)});
    w.cells("linux,initrd-end", {uint32_t(boot.initrdEnd >> 32), uint32_t(boot.initrdEnd)});
  }
  w.end();

  w.begin("memory@" + hex(Machine::kRamBase));
  w.str("device_type", "memory");
  w.reg(Machine::kRamBase, cfg.ramBytes);
  w.end();

  w.begin("cpus");
  w.u32("#address-cells", 1);
  w.u32("#size-cells", 0);
  w.u32("timebase-frequency", Machine::kTimebaseHz);
  for (unsigned h = 0; h < harts; h++) {
    w.begin("cpu@" + hex(h));
    w.u32("phandle", cpuPh(h));
    w.str("device_type", "cpu");
    w.u32("reg", h);
    w.str("status", "okay");
    w.str("compatible", "riscv");
    w.str("riscv,isa", "rv64imafdc_zicsr_zifencei");
    w.str("mmu-type", "riscv,sv48");
    w.begin("interrupt-controller");
    w.u32("#interrupt-cells", 1);
    w.empty("interrupt-controller");
    w.str("compatible", "riscv,cpu-intc");
    w.u32("phandle", intcPh(h));
    w.end();
    w.end();
  }
  w.begin("cpu-map");
  w.begin("cluster0");
  for (unsigned h = 0; h < harts; h++) {
    w.begin("core" + std::to_string(h));
    w.u32("cpu", cpuPh(h));
    w.end();
  }
  w.end();
  w.end();
  w.end(); // cpus

  w.begin("soc");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "simple-bus");
  w.empty("ranges");

  for (unsigned i = 0; i < Machine::kVirtioSlots; i++) {
    uint64_t base = Machine::kVirtioBase + i * Machine::kVirtioSize;
    w.begin("virtio_mmio@" + hex(base));
    w.u32("interrupts", Machine::kVirtioIrq + i);
    w.u32("interrupt-parent", plicPh);
    w.reg(base, Machine::kVirtioSize);
    w.str("compatible", "virtio,mmio");
    w.end();
  }

  w.begin("rtc@" + hex(Machine::kRtcBase));
  w.u32("interrupts", Machine::kRtcIrq);
  w.u32("interrupt-parent", plicPh);
  w.reg(Machine::kRtcBase, 0x1000);
  w.str("compatible", "google,goldfish-rtc");
  w.end();

  w.begin("serial@" + hex(Machine::kUartBase));
  w.u32("interrupts", Machine::kUartIrq);
  w.u32("interrupt-parent", plicPh);
  w.u32("clock-frequency", 3686400);
  w.reg(Machine::kUartBase, 0x100);
  w.str("compatible", "ns16550a");
  w.end();

  w.begin("test@" + hex(Machine::kTestBase));
  w.u32("phandle", testPh);
  w.reg(Machine::kTestBase, 0x1000);
  w.strs("compatible", {"sifive,test1", "sifive,test0", "syscon"});
  w.end();

  std::vector<uint32_t> plicIrqs, clintIrqs;
  for (unsigned h = 0; h < harts; h++) {
    plicIrqs.insert(plicIrqs.end(), {intcPh(h), 11, intcPh(h), 9});
    clintIrqs.insert(clintIrqs.end(), {intcPh(h), 3, intcPh(h), 7});
  }
  w.begin("plic@" + hex(Machine::kPlicBase));
  w.u32("phandle", plicPh);
  w.u32("riscv,ndev", Plic::kSources - 1);
  w.reg(Machine::kPlicBase, Machine::kPlicSize);
  w.cells("interrupts-extended", plicIrqs);
  w.empty("interrupt-controller");
  w.strs("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
  w.u32("#address-cells", 0);
  w.u32("#interrupt-cells", 1);
  w.end();

  w.begin("clint@" + hex(Machine::kClintBase));
  w.cells("interrupts-extended", clintIrqs);
  w.reg(Machine::kClintBase, Machine::kClintSize);
  w.strs("compatible", {"sifive,clint0", "riscv,clint0"});
  w.end();
  w.end(); // soc

  w.begin("poweroff");
  w.u32("value", 0x5555);
  w.u32("offset", 0);
  w.u32("regmap", testPh);
  w.str("compatible", "syscon-poweroff");
  w.end();
  w.begin("reboot");
  w.u32("value", 0x7777);
  w.u32("offset", 0);
  w.u32("regmap", testPh);
  w.str("compatible", "syscon-reboot");
  w.end();

  w.end(); // root
  return w.finish(err);
}

} // namespace xlat::sysemu
