#include "reference_runtime/request_body.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace rr {

void AdviseHugePages(std::string* text) {
  constexpr size_t kHugePage = 2u << 20;
  if (text->capacity() < 2 * kHugePage) return;
  const auto start = reinterpret_cast<uintptr_t>(text->data());
  const uintptr_t end = start + text->capacity();
  const uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t last = end & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace rr
