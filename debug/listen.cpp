#include "debug/listen.h"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace xlat::debug {

int listenLoopback(unsigned port, std::string &err) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0)
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
      listen(fd, 1) != 0) {
    err = "port " + std::to_string(port) + ": " + strerror(errno);
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

int listenUnix(const std::string &path, std::string &err) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string tmp = path + ".listening";
  if (path.empty() || tmp.size() >= sizeof a.sun_path) {
    err = "socket path '" + path + "' is empty or too long";
    return -1;
  }
  // Renaming over anything but an old socket would destroy a file.
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
    err = path + ": exists and is not a socket";
    return -1;
  }
  memcpy(a.sun_path, tmp.c_str(), tmp.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(tmp.c_str());
  bool bound = fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
  if (!bound || listen(fd, 1) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
    err = path + ": " + strerror(errno);
    if (bound)
      unlink(tmp.c_str());
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

} // namespace xlat::debug
