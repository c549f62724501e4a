// reference_runtime: parse options, assemble, serve.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "reference_runtime/options.h"
#include "reference_runtime/runtime_assembly.h"

int main(int argc, char** argv) {
  // Keep 0..2 taken so no pipe or socket ever lands there.
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) open("/dev/null", O_RDWR);
  }
  // A client or action that goes away must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  rr::Options options;
  std::string out;
  std::string err;
  switch (rr::ParseOptions(argc, argv, &options, &out, &err)) {
    case rr::ParseResult::kExitOk:
      std::cout << out;
      return 0;
    case rr::ParseResult::kExitUsage:
      std::cerr << err;
      return 2;
    case rr::ParseResult::kRun:
      break;
  }
  rr::Runtime runtime(options);
  ow::Status status = runtime.Start();
  if (!status.ok()) {
    std::cerr << "reference_runtime: " << status.message() << std::endl;
    return 1;
  }
  return runtime.Run();
}
