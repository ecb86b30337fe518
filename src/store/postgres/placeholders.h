#pragma once
// Rewrites portable '?' placeholders into PostgreSQL's $1, $2, ... in order of appearance.
// A '?' is left alone inside a single-quoted literal ('it''s ?', E'\'?'), a double-quoted
// identifier, a dollar-quoted string ($$?$$, $tag$?$tag$) and a comment (-- ?, /* ? */).
//
// Pure function; never fails (an unterminated literal or comment simply runs to the end, and the
// server reports the syntax error).

#include <string>
#include <string_view>

namespace gatehouse::store::postgres {

struct RewrittenSql {
  std::string sql;
  int placeholder_count = 0;
};

RewrittenSql RewritePlaceholders(std::string_view sql);

}  // namespace gatehouse::store::postgres
