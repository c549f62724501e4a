// The exact strings and limits of the action-runtime contract. Sections are
// cited as in docs/contract.md (C1..C5). Scenario files spell their expected
// texts out on their own, so a typo here cannot make a check pass.
#pragma once

#include <cstddef>
#include <string_view>

namespace contract {

// C3.7: written once to stdout and once to stderr after each /run.
inline constexpr std::string_view kSentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

// C2.6
inline constexpr std::string_view kInitTwice = "Cannot initialize the action more than once.";
// C2.7
inline constexpr std::string_view kStubError =
    "This is a stub action. Replace it with custom logic.";
// C2.8
inline constexpr std::string_view kNoCode = "Missing main/no code to execute.";
inline constexpr std::string_view kNoBinary =
    "The action failed to generate or locate a binary. See logs for details.";
// C3.2
inline constexpr std::string_view kNotDictionaryArgument =
    "The action did not receive a dictionary or array as an argument.";
// C3.4
inline constexpr std::string_view kNotDictionaryResult =
    "The action did not return a dictionary or array.";

// C3.1: Linux MAX_ARG_STRLEN - 1; longer arguments go on stdin only.
inline constexpr std::size_t kMaxArgvArgument = 131071;
// C1.4: the platform reads at most this many bytes of a response.
inline constexpr std::size_t kMaxResponseBytes = 1048576;
// C4.6: default cap on one activation's logs.
inline constexpr std::size_t kMaxLogBytes = 10 * 1048576;
// C1.1
inline constexpr unsigned short kDefaultPort = 8080;

}  // namespace contract
