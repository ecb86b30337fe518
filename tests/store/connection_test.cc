// Store contract: statements, parameters and values behave the same on both engines.

#include <cstdint>
#include <limits>
#include <string>

#include "store/database.h"
#include "store/store_test_support.h"

namespace gatehouse::store {
namespace {

using ::gatehouse::testing::EngineTest;

class ConnectionTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db().Run([](Connection& c) {
      c.ExecuteScript(
          "CREATE TABLE items (id TEXT NOT NULL PRIMARY KEY, n BIGINT, s TEXT, "
          "code TEXT UNIQUE)");
    });
  }

  Row One(std::string_view sql, std::initializer_list<Value> params = {}) {
    Rows rows;
    db().Run([&](Connection& c) { rows = c.Query(sql, params); });
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? Row({}) : rows[0];
  }
};

TEST_P(ConnectionTest, RowConvertsBetweenTextAndIntegers) {
  db().Run([](Connection& c) {
    c.Execute("INSERT INTO items (id, n, s) VALUES (?, ?, ?)", {"a", int64_t{42}, "17"});
  });
  Row row = One("SELECT id, n, s, n + 1 FROM items WHERE id = ?", {"a"});
  ASSERT_EQ(row.size(), 4u);
  EXPECT_EQ(row.Text(0), "a");
  EXPECT_EQ(row.Int(1), 42);
  EXPECT_EQ(row.Text(1), "42");  // integers format as text
  EXPECT_EQ(row.Int(2), 17);     // text parses as an integer
  EXPECT_EQ(row.Text(2), "17");
  EXPECT_EQ(row.Int(3), 43);  // computed integer columns are integers on both engines
  EXPECT_TRUE(row.Bool(1));
  EXPECT_EQ(row.OptionalInt(1), 42);
  EXPECT_EQ(row.OptionalText(0), "a");
  EXPECT_THROW(row.Int(0), DatabaseError);  // "a" is not an integer
  EXPECT_THROW(row.Text(9), std::out_of_range);
}

TEST_P(ConnectionTest, NullsRoundTrip) {
  db().Run([](Connection& c) {
    c.Execute("INSERT INTO items (id, n, s) VALUES (?, ?, ?)",
              {"a", Nullable(std::optional<int64_t>()), Nullable(std::optional<std::string>())});
    c.Execute("INSERT INTO items (id, n, s) VALUES (?, ?, ?)", {"b", Value(), ""});
  });
  Row a = One("SELECT n, s FROM items WHERE id = ?", {"a"});
  EXPECT_TRUE(a.IsNull(0));
  EXPECT_TRUE(a.IsNull(1));
  EXPECT_EQ(a.Int(0), 0);
  EXPECT_EQ(a.Text(1), "");
  EXPECT_EQ(a.OptionalInt(0), std::nullopt);
  EXPECT_EQ(a.OptionalText(1), std::nullopt);
  EXPECT_FALSE(a.Bool(0));
  // The empty string is not NULL.
  Row b = One("SELECT s FROM items WHERE id = ?", {"b"});
  EXPECT_FALSE(b.IsNull(0));
  EXPECT_EQ(b.OptionalText(0), "");
  EXPECT_EQ(One("SELECT COUNT(*) FROM items WHERE s IS NULL").Int(0), 1);
  EXPECT_TRUE(One("SELECT NULL").IsNull(0));
}

TEST_P(ConnectionTest, Int64ExtremesRoundTrip) {
  const int64_t values[] = {std::numeric_limits<int64_t>::min(), -1, 0, 1,
                            std::numeric_limits<int64_t>::max()};
  db().Run([&](Connection& c) {
    for (int64_t v : values) {
      c.Execute("INSERT INTO items (id, n) VALUES (?, ?)", {std::to_string(v), v});
    }
  });
  for (int64_t v : values) {
    Row row = One("SELECT n FROM items WHERE n = ?", {v});
    EXPECT_EQ(row.Int(0), v);
    EXPECT_EQ(row.Text(0), std::to_string(v));
  }
  EXPECT_EQ(One("SELECT MAX(n) FROM items").Int(0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(One("SELECT MIN(n) FROM items").Int(0), std::numeric_limits<int64_t>::min());
}

TEST_P(ConnectionTest, TextRoundTripsExactly) {
  const std::string values[] = {"plain",
                                "it's \"quoted\" \\ back\\slash",
                                "ünïcødé ✓ 鍵",
                                "?",
                                "$1",
                                "line\nbreak\ttab",
                                std::string(100'000, 'x')};
  int i = 0;
  db().Run([&](Connection& c) {
    for (const std::string& v : values) {
      c.Execute("INSERT INTO items (id, s) VALUES (?, ?)", {std::to_string(i++), v});
    }
  });
  i = 0;
  for (const std::string& v : values) {
    EXPECT_EQ(One("SELECT s FROM items WHERE id = ?", {std::to_string(i++)}).Text(0), v);
  }
}

TEST_P(ConnectionTest, QuestionMarksInsideLiteralsAreNotPlaceholders) {
  Row row = One("SELECT 'a?b', ?, 'it''s ?', ? AS \"q?\" -- a comment?\n", {"x", int64_t{5}});
  ASSERT_EQ(row.size(), 4u);
  EXPECT_EQ(row.Text(0), "a?b");
  EXPECT_EQ(row.Text(1), "x");
  EXPECT_EQ(row.Text(2), "it's ?");
  EXPECT_EQ(row.Int(3), 5);

  db().Run([](Connection& c) {
    EXPECT_EQ(c.Execute("INSERT INTO items (id, s) VALUES (?, 'what?')", {"q"}), 1);
  });
  EXPECT_EQ(One("SELECT s FROM items WHERE s = 'what?' AND id = ?", {"q"}).Text(0), "what?");
}

TEST_P(ConnectionTest, ExecuteReturnsRowsChanged) {
  db().Run([](Connection& c) {
    EXPECT_EQ(c.Execute("INSERT INTO items (id, n) VALUES ('a', 1), ('b', 1), ('c', 2)"), 3);
    EXPECT_EQ(c.Execute("UPDATE items SET s = 'x' WHERE n = ?", {int64_t{1}}), 2);
    EXPECT_EQ(c.Execute("UPDATE items SET s = 'x' WHERE n = ?", {int64_t{7}}), 0);
    EXPECT_EQ(c.Execute("CREATE INDEX items_n ON items (n)"), 0);
    EXPECT_EQ(c.Execute("DELETE FROM items WHERE id = ?", {"c"}), 1);
    EXPECT_EQ(c.Execute("DELETE FROM items WHERE id = ?", {"c"}), 0);
  });
}

TEST_P(ConnectionTest, UpdateReturningIsOneAtomicStatement) {
  db().Run([](Connection& c) {
    c.Execute("INSERT INTO items (id, n) VALUES ('a', 0)");
    Rows first = c.Query("UPDATE items SET n = 1 WHERE id = ? AND n = 0 RETURNING id, n", {"a"});
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].Text(0), "a");
    EXPECT_EQ(first[0].Int(1), 1);
    EXPECT_TRUE(
        c.Query("UPDATE items SET n = 1 WHERE id = ? AND n = 0 RETURNING id", {"a"}).empty());
  });
}

TEST_P(ConnectionTest, DuplicateKeyThrowsConstraintViolation) {
  db().Run([](Connection& c) { c.Execute("INSERT INTO items (id, code) VALUES ('a', 'x')"); });
  // Primary key.
  try {
    db().Run([](Connection& c) { c.Execute("INSERT INTO items (id) VALUES (?)", {"a"}); });
    FAIL() << "expected ConstraintViolation";
  } catch (const ConstraintViolation& e) {
    EXPECT_FALSE(e.transient());
  }
  // Unique column.
  EXPECT_THROW(db().Run([](Connection& c) {
    c.Execute("INSERT INTO items (id, code) VALUES (?, ?)", {"b", "x"});
  }),
               ConstraintViolation);
  // The connection stays usable.
  EXPECT_EQ(One("SELECT COUNT(*) FROM items").Int(0), 1);
}

TEST_P(ConnectionTest, ForeignKeysCascade) {
  db().Run([](Connection& c) {
    c.ExecuteScript(
        "CREATE TABLE parents (id TEXT NOT NULL PRIMARY KEY);"
        "CREATE TABLE children (id TEXT NOT NULL PRIMARY KEY, "
        "parent_id TEXT NOT NULL REFERENCES parents (id) ON DELETE CASCADE);");
    c.Execute("INSERT INTO parents (id) VALUES ('p')");
    c.Execute("INSERT INTO children (id, parent_id) VALUES ('c1', 'p'), ('c2', 'p')");
    EXPECT_THROW(c.Execute("INSERT INTO children (id, parent_id) VALUES ('c3', 'nobody')"),
                 DatabaseError);
    EXPECT_EQ(c.Execute("DELETE FROM parents WHERE id = 'p'"), 1);
    EXPECT_EQ(c.Query("SELECT COUNT(*) FROM children").at(0).Int(0), 0);
  });
}

TEST_P(ConnectionTest, SyntaxErrorIsPermanentAndLeavesTheConnectionUsable) {
  db().Run([](Connection& c) {
    try {
      c.Query("SELEKT 1");
      FAIL() << "expected DatabaseError";
    } catch (const DatabaseError& e) {
      EXPECT_FALSE(e.transient());
      EXPECT_FALSE(dynamic_cast<const ConstraintViolation*>(&e));
    }
    EXPECT_EQ(c.Query("SELECT 1").at(0).Int(0), 1);
  });
}

TEST_P(ConnectionTest, WrongParameterCountIsRejected) {
  db().Run([](Connection& c) {
    EXPECT_THROW(c.Query("SELECT ?, ?", {int64_t{1}}), DatabaseError);
    EXPECT_THROW(c.Query("SELECT 1", {int64_t{1}}), DatabaseError);
    EXPECT_EQ(c.Query("SELECT ?", {int64_t{1}}).at(0).Int(0), 1);
  });
}

TEST_P(ConnectionTest, ReusedStatementsTakeNewParametersEachTime) {
  db().Run([](Connection& c) {
    for (int i = 0; i < 200; ++i) {
      const Value s = i % 3 == 0 ? Value() : Value("s" + std::to_string(i));
      c.Execute("INSERT INTO items (id, n, s) VALUES (?, ?, ?)",
                {"k" + std::to_string(i), int64_t{i}, s});
    }
    for (int i = 0; i < 200; ++i) {
      Rows rows = c.Query("SELECT n, s FROM items WHERE id = ?", {"k" + std::to_string(i)});
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0].Int(0), i);
      EXPECT_EQ(rows[0].IsNull(1), i % 3 == 0);
    }
  });
}

TEST_P(ConnectionTest, ExecuteScriptRunsSeveralStatements) {
  db().Run([](Connection& c) {
    c.ExecuteScript(
        "INSERT INTO items (id) VALUES ('x');\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO items (id) VALUES ('y;z');\n");
    EXPECT_EQ(c.Query("SELECT COUNT(*) FROM items").at(0).Int(0), 2);
  });
}

TEST_P(ConnectionTest, PingAnswers) { EXPECT_TRUE(db().Ping()); }

GATEHOUSE_INSTANTIATE_ENGINE_TEST(ConnectionTest);

// PostgreSQL only: each distinct statement is prepared once per connection.
class PostgresConnectionTest : public ConnectionTest {};

TEST_P(PostgresConnectionTest, StatementsArePreparedOncePerConnection) {
  db().Run([](Connection& c) {
    for (int i = 0; i < 50; ++i) c.Query("SELECT ? + 1 AS prepared_once_probe", {int64_t{i}});
    Rows rows = c.Query(
        "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE "
        "'%prepared_once_probe%' AND statement NOT LIKE '%pg_prepared_statements%'");
    EXPECT_EQ(rows.at(0).Int(0), 1);
  });
}

TEST_P(PostgresConnectionTest, AStatementStaleAfterASchemaChangeIsPreparedAfresh) {
  db().Run([&](Connection& c) {
    c.Execute("INSERT INTO items (id, n) VALUES ('a', 1)");
    EXPECT_EQ(c.Query("SELECT * FROM items").at(0).size(), 4u);
    // Another process changes the table under the prepared statement.
    db().Run([](Connection& other) { other.ExecuteScript("ALTER TABLE items ADD COLUMN z TEXT"); });
    try {
      c.Query("SELECT * FROM items");
    } catch (const DatabaseError& e) {
      EXPECT_TRUE(e.transient()) << e.what();
    }
  });
  // The stale connection was replaced; the statement works again.
  for (int i = 0; i < 3; ++i) {
    db().Run([](Connection& c) { EXPECT_EQ(c.Query("SELECT * FROM items").at(0).size(), 5u); });
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, PostgresConnectionTest, ::testing::Values(Engine::kPostgres),
                         ::gatehouse::testing::EngineParamName);

}  // namespace
}  // namespace gatehouse::store
