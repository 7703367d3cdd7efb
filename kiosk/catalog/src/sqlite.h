// A thin RAII layer over SQLite: the connection and statements own their handles, every
// SQLite result code becomes a vk::Error at this edge.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vk/result.h"

namespace vk::catalog::sql {

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;

Error error(sqlite3* db, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  [[nodiscard]] bool valid() const { return stmt_ != nullptr; }

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, const std::optional<int>& value);
  Statement& bind_null(int index);

  // Runs one step: true when a row is ready, false when done.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();

  [[nodiscard]] std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  [[nodiscard]] int integer(int col) const { return sqlite3_column_int(stmt_.get(), col); }
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::optional<std::string> optional_text(int col) const;
  [[nodiscard]] std::optional<int> optional_int(int col) const;

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, StmtDeleter> stmt_;
  std::string sql_;
};

Status exec(sqlite3* db, const char* sql);

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  [[nodiscard]] const Status& begun() const { return begun_; }
  Status commit();

 private:
  sqlite3* db_;
  Status begun_;
  bool done_ = false;
};

}  // namespace vk::catalog::sql
