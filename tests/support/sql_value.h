// The first column of the first row a query returns, as text ("" when there is no row or it is
// NULL): for tests that check what landed in a real SQLite catalog file.
#pragma once

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace vk::testing {

inline std::string sql_value(sqlite3* db, const std::string& query) {
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  return out;
}

// Opens the file read-only for the one query, so the test never changes what it checks.
inline std::string sql_value(const std::filesystem::path& file, const std::string& query) {
  sqlite3* db = nullptr;
  const int opened = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  if (opened != SQLITE_OK) sqlite3_close(db);
  REQUIRE(opened == SQLITE_OK);
  std::string out = sql_value(db, query);
  sqlite3_close(db);
  return out;
}

}  // namespace vk::testing
