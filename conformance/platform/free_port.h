// Loopback port helpers for the runtime targets.
//
// pick_free_port binds 127.0.0.1:0, reads the port the kernel chose and
// closes the socket: the port is free at that moment, though another process
// may take it before the runtime binds it (rare; callers report it).
//
// wait_until_accepting polls a TCP connect with a growing backoff (10 ms up
// to 100 ms) until the peer accepts, `gave_up` returns a non-empty reason
// (e.g. the process exited), or the deadline passes. With hold > 0 a peer
// that accepts but closes within `hold` is not yet ready (docker's port
// proxy accepts before the container listens).
//
// Thread-safe; every wait has a deadline; no exceptions.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/status.h"

namespace conformance {

ow::Status pick_free_port(unsigned short* port);

// One attempt: connects to host:port within `timeout`.
bool tcp_accepts(const std::string& host, unsigned short port, std::chrono::milliseconds timeout,
                 std::chrono::milliseconds hold = std::chrono::milliseconds(0));

// Returns Ok when ready; otherwise the `gave_up` reason, or
// "never became ready within N ms (nothing accepted connections on host:port)".
ow::Status wait_until_accepting(const std::string& host, unsigned short port,
                                std::chrono::milliseconds ready_timeout,
                                const std::function<std::string()>& gave_up,
                                std::chrono::milliseconds hold = std::chrono::milliseconds(0));

}  // namespace conformance
