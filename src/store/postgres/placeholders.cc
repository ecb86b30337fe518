#include "store/postgres/placeholders.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace gatehouse::store::postgres {
namespace {

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Length of the dollar-quote tag ("$$" or "$name$") starting at sql[i], or 0 if there is none.
size_t DollarTagLength(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && (std::isdigit(static_cast<unsigned char>(sql[j])) != 0)) return 0;  // $1
  while (j < sql.size() && sql[j] != '$') {
    const char c = sql[j];
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
          static_cast<unsigned char>(c) >= 0x80)) {
      return 0;
    }
    ++j;
  }
  return j < sql.size() ? j - i + 1 : 0;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  // Copies sql[i, end) verbatim and moves i to end.
  auto copy_to = [&](size_t end) {
    out.sql.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholder_count);
      ++i;
    } else if (c == '\'') {
      // E'...' strings treat backslash as an escape; standard strings only double the quote.
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !IsIdentifierChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < sql.size()) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < sql.size() && sql[j + 1] == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(std::min(j, sql.size()));
    } else if (c == '"') {
      size_t j = sql.find('"', i + 1);
      copy_to(j == std::string_view::npos ? sql.size() : j + 1);
    } else if (c == '-' && next == '-') {
      size_t j = sql.find('\n', i);
      copy_to(j == std::string_view::npos ? sql.size() : j + 1);
    } else if (c == '/' && next == '*') {
      // Block comments nest in PostgreSQL.
      size_t j = i + 2;
      int depth = 1;
      while (j < sql.size() && depth > 0) {
        if (sql[j] == '/' && j + 1 < sql.size() && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < sql.size() && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
      const size_t tag_length = DollarTagLength(sql, i);
      if (tag_length == 0) {
        copy_to(i + 1);
        continue;
      }
      const std::string_view tag = sql.substr(i, tag_length);
      size_t close = sql.find(tag, i + tag_length);
      copy_to(close == std::string_view::npos ? sql.size() : close + tag_length);
    } else {
      // Plain text up to the next character that may start something interesting.
      size_t j = sql.find_first_of("?'\"-/$", i + 1);
      copy_to(j == std::string_view::npos ? sql.size() : j);
    }
  }
  return out;
}

}  // namespace gatehouse::store::postgres
