//! Table metadata: the Core `Table`, `Column`, `ForeignKey` and column types,
//! as a fixture's `models.py` declares them (SQLAlchemy's `sql/schema.py`).

use std::rc::Rc;

/// A column type, named as SQLAlchemy names it. Decides the DDL type and how
/// values are bound and read back on SQLite (`Boolean` as 0/1, `DateTime` as
/// `"YYYY-MM-DD HH:MM:SS.ffffff"` text).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlType {
    Integer,
    /// `String(length)`; renders `VARCHAR(length)` or `VARCHAR`.
    String(Option<u32>),
    Text,
    Boolean,
    DateTime,
    Date,
    Float,
    Numeric,
}

impl SqlType {
    /// The type as `CREATE TABLE` writes it on SQLite (SQLAlchemy's `SQLiteTypeCompiler`).
    pub fn ddl(&self) -> String {
        match self {
            SqlType::Integer => "INTEGER".into(),
            SqlType::String(Some(n)) => format!("VARCHAR({n})"),
            SqlType::String(None) => "VARCHAR".into(),
            SqlType::Text => "TEXT".into(),
            SqlType::Boolean => "BOOLEAN".into(),
            SqlType::DateTime => "DATETIME".into(),
            SqlType::Date => "DATE".into(),
            SqlType::Float => "FLOAT".into(),
            SqlType::Numeric => "NUMERIC".into(),
        }
    }

    /// The type as a cast names it for `dialect` (`p0::VARCHAR` in an
    /// insertmanyvalues SELECT: no length; `TIMESTAMP WITHOUT TIME ZONE`
    /// for `DateTime` on PostgreSQL).
    pub fn cast_name(&self, dialect: &crate::sql::dialect::Dialect) -> String {
        match self {
            SqlType::String(_) => "VARCHAR".into(),
            SqlType::DateTime
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                "TIMESTAMP WITHOUT TIME ZONE".into()
            }
            other => other.ddl(),
        }
    }

    /// The Python-side name (`Integer`, `String`, …), for `.models` and errors.
    pub fn python_name(&self) -> &'static str {
        match self {
            SqlType::Integer => "Integer",
            SqlType::String(_) => "String",
            SqlType::Text => "Text",
            SqlType::Boolean => "Boolean",
            SqlType::DateTime => "DateTime",
            SqlType::Date => "Date",
            SqlType::Float => "Float",
            SqlType::Numeric => "Numeric",
        }
    }
}

/// `ForeignKey("users.id")`: the referenced table and column, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
}

/// A Python-side column default applied at flush (`default=True`,
/// `default=datetime.utcnow`).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDefault {
    /// A constant, already in its bound form.
    Value(SqlValue),
    /// `datetime.utcnow` / `datetime.now`: the time of the flush.
    UtcNow,
    Now,
}

/// One `Column(...)` of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub sql_type: SqlType,
    pub primary_key: bool,
    pub nullable: bool,
    pub unique: bool,
    pub foreign_key: Option<ForeignKey>,
    pub default: Option<ColumnDefault>,
}

/// A `Table`: its name and columns in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    /// Index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Indices of the primary-key columns, in declaration order.
    pub fn primary_key(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| self.columns[i].primary_key)
            .collect()
    }
}

/// Shared handle to a table; tables are compared by pointer in FROM lists.
pub type TableRef = Rc<Table>;

/// A value as the SQLite driver sends and returns it.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}
