// mock_invoker: a mock OpenWhisk invoker. All logic lives in mock_invoker_lib.
#include <iostream>

#include "mock_invoker/commands.h"

int main(int argc, char** argv) { return mock_invoker::run_cli(argc, argv, std::cout, std::cerr); }
