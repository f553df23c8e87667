//! A database server the tutor loads its fixture into (`--db
//! postgresql://…`): which tables in it are the tutor's own, dropping only
//! those, and moving `SERIAL` sequences past the fixture's ids, as the
//! oracle's `oracle.py --url` does.
//!
//! The tutor marks every table it creates on a server with a comment
//! ([`MARK`], `COMMENT ON TABLE users IS 'created by orm-tutor'`): a table
//! without it belongs to someone else and is never dropped. None of these
//! statements is logged: they are the tutor's, not the learner's.

use super::{Database, DbError};
use crate::sql::compiler::Compiled;
use crate::sql::schema::SqlValue;

/// The comment on a table the tutor created.
pub const MARK: &str = "created by orm-tutor";

/// The tables of the server's current schema, split by who created them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaTables {
    /// Tables marked as the tutor's ([`MARK`]), by name.
    pub ours: Vec<String>,
    /// Every other table, view or foreign table, by name.
    pub others: Vec<String>,
}

impl Database {
    /// True when the database is a server (PostgreSQL) rather than an
    /// embedded SQLite file.
    pub fn is_server(&self) -> bool {
        self.dialect().name == "postgresql"
    }

    /// The tables of `current_schema()`, the tutor's apart; an empty list
    /// on SQLite. Ends the transaction it opens.
    ///
    /// Errors: the server's, as psycopg2 names them.
    pub fn server_tables(&self) -> Result<SchemaTables, DbError> {
        if !self.is_server() {
            return Ok(SchemaTables::default());
        }
        let rows = self.conn.query(&Compiled::text(
            "SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
             ORDER BY c.relname",
        ));
        self.conn.rollback()?;
        let mut tables = SchemaTables::default();
        for row in rows? {
            if let [SqlValue::Text(name), SqlValue::Text(comment)] = row.as_slice() {
                if comment == MARK {
                    tables.ours.push(name.clone());
                } else {
                    tables.others.push(name.clone());
                }
            }
        }
        Ok(tables)
    }

    /// Marks `table` as created by the tutor (a no-op on SQLite).
    pub fn mark_created(&self, table: &str) -> Result<(), DbError> {
        if !self.is_server() {
            return Ok(());
        }
        self.conn.execute_script(&format!(
            "COMMENT ON TABLE {} IS '{MARK}'",
            self.dialect().quote(table)
        ))
    }

    /// Drops `tables` in one `DROP TABLE IF EXISTS a, b` (so foreign keys
    /// among them do not matter) and commits; no `CASCADE`, so a table of
    /// someone else's that refers to one of them makes it fail instead.
    pub fn drop_tables(&self, tables: &[String]) -> Result<(), DbError> {
        if tables.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = tables.iter().map(|t| self.dialect().quote(t)).collect();
        let result = self
            .conn
            .execute_script(&format!("DROP TABLE IF EXISTS {}", names.join(", ")));
        match result {
            Ok(()) => self.conn.commit(),
            Err(e) => {
                self.conn.rollback()?;
                Err(e)
            }
        }
    }

    /// Moves the `SERIAL` sequence of `table.column` past the ids loaded
    /// into it (`SELECT setval(pg_get_serial_sequence('users', 'id'),
    /// (SELECT max(id) FROM users))`, as `oracle.py --url` does), so the
    /// learner's inserts get fresh ids. A no-op on SQLite.
    pub fn move_sequence_past_ids(&self, table: &str, column: &str) -> Result<(), DbError> {
        if !self.is_server() {
            return Ok(());
        }
        let q = |s: &str| self.dialect().quote(s);
        self.conn.query(&Compiled::text(format!(
            "SELECT setval(pg_get_serial_sequence('{}', '{}'), (SELECT max({}) FROM {}))",
            q(table).replace('\'', "''"),
            column.replace('\'', "''"),
            q(column),
            q(table)
        )))?;
        Ok(())
    }
}
