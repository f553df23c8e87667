//! Renders the expression tree to SQLAlchemy 2.0's SQLite SQL (stub: being written).

use super::elements::{Delete, Insert, Select, Update};
use super::schema::{SqlValue, Table};

/// A rendered statement: SQL text (with SQLAlchemy's newlines) and its bound
/// parameters in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

pub fn compile_select(select: &Select) -> Compiled {
    let _ = select;
    Compiled {
        sql: String::new(),
        params: Vec::new(),
    }
}

pub fn compile_insert(insert: &Insert) -> Compiled {
    let _ = insert;
    Compiled {
        sql: String::new(),
        params: Vec::new(),
    }
}

pub fn compile_update(update: &Update) -> Compiled {
    let _ = update;
    Compiled {
        sql: String::new(),
        params: Vec::new(),
    }
}

pub fn compile_delete(delete: &Delete) -> Compiled {
    let _ = delete;
    Compiled {
        sql: String::new(),
        params: Vec::new(),
    }
}

/// `CREATE TABLE` for a table, as `metadata.create_all()` emits it on SQLite.
pub fn create_table(table: &Table) -> String {
    let _ = table;
    String::new()
}

/// Renders a lone column expression (for `str(User.name == "Bob")`).
pub fn compile_expression(expr: &super::elements::Expr) -> Compiled {
    let _ = expr;
    Compiled { sql: String::new(), params: Vec::new() }
}
