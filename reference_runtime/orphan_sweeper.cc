#include "reference_runtime/orphan_sweeper.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
#include <vector>

namespace rr {
namespace {

struct ChildInfo {
  pid_t pid;
  pid_t pgrp;
  char state;
  uint64_t start_tick;
};

// Fields of /proc/<pid>/stat for a child of `parent`; false otherwise.
bool ReadChild(pid_t pid, pid_t parent, ChildInfo* info) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
  FILE* file = std::fopen(path, "re");
  if (file == nullptr) return false;
  char buffer[1024];
  const size_t size = std::fread(buffer, 1, sizeof(buffer) - 1, file);
  std::fclose(file);
  buffer[size] = '\0';
  // The command name may hold anything, parentheses included: the fields
  // after it start past its last ')'.
  const char* fields = std::strrchr(buffer, ')');
  if (fields == nullptr) return false;
  char state = 0;
  int ppid = 0;
  int pgrp = 0;
  unsigned long long start = 0;
  // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime
  if (std::sscanf(fields + 1,
                  " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d "
                  "%llu",
                  &state, &ppid, &pgrp, &start) != 4) {
    return false;
  }
  if (ppid != parent) return false;
  *info = {pid, pgrp, state, start};
  return true;
}

std::vector<ChildInfo> ListChildren() {
  std::vector<ChildInfo> children;
  const pid_t self = getpid();
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    ChildInfo info;
    if (ReadChild(static_cast<pid_t>(std::atoi(entry->d_name)), self, &info)) {
      children.push_back(info);
    }
  }
  closedir(proc);
  return children;
}

void KillOrphan(const ChildInfo& child) {
  // Our own unreaped child: its pid cannot have been reused.
  kill(child.pid, SIGKILL);
  if (child.pgrp == child.pid) kill(-child.pid, SIGKILL);
}

constexpr std::chrono::milliseconds kSweepDelay{10};
constexpr std::chrono::milliseconds kRepeatDelay{20};

}  // namespace

uint64_t BootTicksNow() {
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const auto ticks_per_second = static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
  return static_cast<uint64_t>(now.tv_sec) * ticks_per_second +
         static_cast<uint64_t>(now.tv_nsec) * ticks_per_second / 1000000000u;
}

OrphanSweeper::OrphanSweeper(boost::asio::io_context& io) : timer_(io) {
  subreaper_ = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
}

OrphanSweeper::~OrphanSweeper() {
  live_.clear();
  // A few rounds: killing a group leader may orphan its own children.
  for (int round = 0; round < 50 && SweepNow() > 0; ++round) usleep(2000);
}

uint64_t OrphanSweeper::Begin() {
  const uint64_t id = next_id_++;
  live_[id] = {BootTicksNow(), -1};
  return id;
}

void OrphanSweeper::SetMainPid(uint64_t id, pid_t pid) {
  auto it = live_.find(id);
  if (it != live_.end()) it->second.pid = pid;
}

void OrphanSweeper::End(uint64_t id) {
  live_.erase(id);
  Schedule(kSweepDelay);
}

void OrphanSweeper::Schedule(std::chrono::milliseconds delay) {
  if (scheduled_) return;
  scheduled_ = true;
  timer_.expires_after(delay);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    scheduled_ = false;
    if (SweepNow() > 0) Schedule(kRepeatDelay);
  });
}

size_t OrphanSweeper::SweepNow() {
  // An orphan may belong to a running activation only if it started after
  // that activation did (one tick of slack for the clock's resolution).
  uint64_t oldest_live = std::numeric_limits<uint64_t>::max();
  std::set<pid_t> mains;
  for (const auto& [id, live] : live_) {
    if (live.start_tick < oldest_live) oldest_live = live.start_tick;
    if (live.pid > 0) mains.insert(live.pid);
  }
  size_t killed = 0;
  for (const ChildInfo& child : ListChildren()) {
    if (mains.count(child.pid) != 0 || child.start_tick + 1 >= oldest_live) continue;
    if (child.state == 'Z') {
      waitpid(child.pid, nullptr, WNOHANG);
      continue;
    }
    KillOrphan(child);
    ++killed;
  }
  return killed;
}

}  // namespace rr
