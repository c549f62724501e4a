// reference_runtime: parse options, assemble, serve.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <utility>
#include <vector>

#include "reference_runtime/faults/fault_catalogue.h"
#include "reference_runtime/options.h"
#include "reference_runtime/runtime_assembly.h"
#include "reference_runtime/variants/variant_catalogue.h"

int main(int argc, char** argv) {
  // Keep 0..2 taken so no pipe or socket ever lands there.
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) open("/dev/null", O_RDWR);
  }
  // A client or action that goes away must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  // Fault injection options are taken out first; the rest is the runtime's.
  rr::faults::FaultArgs fault_args;
  std::vector<char*> args;
  ow::Status status = rr::faults::ExtractFaultArgs(argc, argv, &fault_args, &args);
  rr::Decorators decorators;
  if (status.ok()) status = rr::faults::AddFaults(fault_args.names, &decorators);
  // Tolerance variants likewise (behaviours of real runtimes the platform accepts).
  rr::variants::VariantArgs variant_args;
  if (status.ok()) status = rr::variants::ExtractVariantArgs(&args, &variant_args);
  if (status.ok()) status = rr::variants::AddVariants(variant_args.names, &decorators);
  if (!status.ok()) {
    std::cerr << "reference_runtime: " << status.message() << std::endl;
    return 2;
  }
  if (fault_args.list) {
    std::cout << rr::faults::ListFaultsText();
    return 0;
  }
  if (variant_args.list) {
    std::cout << rr::variants::ListVariantsText();
    return 0;
  }

  rr::Options options;
  std::string out;
  std::string err;
  const int rest_count = static_cast<int>(args.size());
  args.push_back(nullptr);  // argv[argc] is null, as for main's own argv
  switch (rr::ParseOptions(rest_count, args.data(), &options, &out, &err)) {
    case rr::ParseResult::kExitOk:
      std::cout << out << (fault_args.help ? rr::faults::FaultOptionsHelp() : "")
                << (fault_args.help ? rr::variants::VariantOptionsHelp() : "");
      return 0;
    case rr::ParseResult::kExitUsage:
      std::cerr << err;
      return 2;
    case rr::ParseResult::kRun:
      break;
  }
  rr::Runtime runtime(options, std::move(decorators));
  status = runtime.Start();
  if (!status.ok()) {
    std::cerr << "reference_runtime: " << status.message() << std::endl;
    return 1;
  }
  return runtime.Run();
}
