// The loop every list query needs: step through the rows, read each into a value, stop at the
// first error. Catalog internals only.
#pragma once

#include <vector>

#include "sqlite.h"

namespace vk::catalog::sql {

// Every row of `s`, each made by `read(s)`.
template <class Read>
auto collect_rows(Statement& s, Read read) -> Result<std::vector<decltype(read(s))>> {
  std::vector<decltype(read(s))> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) return out;
    out.push_back(read(s));
  }
}

}  // namespace vk::catalog::sql
