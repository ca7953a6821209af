// Listening sockets for the servers a runner offers (the gdb stub, the
// monitor): on the loopback interface or a Unix socket path.
#pragma once

#include <string>

namespace xlat::debug {

// A listening TCP socket on 127.0.0.1:port; -1 with err.
int listenLoopback(unsigned port, std::string &err);
// A listening Unix socket at path, bound under another name and renamed
// into place once it listens, so that a client that sees the path can
// connect; -1 with err.
int listenUnix(const std::string &path, std::string &err);

} // namespace xlat::debug
