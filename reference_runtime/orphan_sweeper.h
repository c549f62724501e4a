// Containing every descendant of an activation, including those that left
// its process group (setsid, double fork).
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <map>

namespace rr {

// Makes the runtime a child subreaper (PR_SET_CHILD_SUBREAPER): a process
// that escapes an activation's group and loses its parent is reparented to
// the runtime instead of to init, so it stays visible. A sweep then ends
// such orphans: every child of the runtime that is not an activation's main
// process and that started before every activation still running (so it
// can only belong to activations that have ended) is killed (with its group
// when it leads one) and reaped. Orphans that could belong to a running
// activation are left until that one ends. Sweeps run shortly after each
// activation ends (coalesced) and repeat while they kill something, to
// catch grandchildren reparented in turn. Start times come from
// /proc/<pid>/stat, in clock ticks since boot.
// Not thread-safe: the event loop's thread only.
class OrphanSweeper {
 public:
  explicit OrphanSweeper(boost::asio::io_context& io);
  // Kills and reaps every orphan left (blocking; at shutdown).
  ~OrphanSweeper();

  // An activation is about to be spawned; returns its id.
  uint64_t Begin();
  // Its main process (the executor reaps that one itself).
  void SetMainPid(uint64_t id, pid_t pid);
  // Its main process has ended and was reaped (or never started).
  void End(uint64_t id);

  // One sweep now; returns how many orphans it killed.
  size_t SweepNow();
  // Whether the kernel accepted the subreaper role.
  bool subreaper() const { return subreaper_; }

 private:
  struct Live {
    uint64_t start_tick;
    pid_t pid;
  };
  void Schedule(std::chrono::milliseconds delay);

  boost::asio::steady_timer timer_;
  bool scheduled_ = false;
  bool subreaper_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Live> live_;
};

// Clock ticks since boot, the unit of /proc/<pid>/stat's start time.
uint64_t BootTicksNow();

}  // namespace rr
