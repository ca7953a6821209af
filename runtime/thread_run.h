// What the dispatcher keeps per guest thread (dispatcher.cpp and
// debugger.cpp; not for other users of the dispatcher).
#pragma once

#include "debug/gdb_server.h"
#include "jit/code_cache.h"
#include "jit/interpreter.h"
#include "jit/code_pages.h"
#include "runtime/dispatcher.h"

#include <atomic>
#include <memory>
#include <optional>

namespace xlat {

// What each guest thread keeps to itself: no locks on its hot paths.
struct Dispatcher::ThreadRun {
  GuestThread *thread = nullptr;
  jit::Interpreter interp;
  std::unique_ptr<jit::A64Interpreter> a64Interp; // an A64 thread's

  jit::CodeCacheFront front;
  jit::TierStats stats;
  CodeWriteListener codeWrites;  // stores into code interrupt this thread
  uint64_t interpEpoch = 0; // cache_ epoch of interp's decoded instructions
  // The pc of a store into code that left translated code (kCodeWrite):
  // the interpreter runs it when the thread gets there next (a signal
  // handler may run first).
  uint64_t interpretAt = ~0ull;
  // Set while the thread runs translated code (see evictCode).
  std::atomic<bool> inCode{false};
  debug::ThreadDebug gdb; // under gdb
};

} // namespace xlat
