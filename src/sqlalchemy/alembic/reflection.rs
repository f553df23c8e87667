//! Batch mode's move-and-copy on SQLite (Alembic's `ApplyBatchImpl`), over
//! the table as SQLAlchemy's SQLite dialect reflects it.

use crate::python::{PyErr, PyResult};

use super::Operations;
use super::batch::BatchOp;

/// Reflects `table`, applies `batch` to the copy and moves the rows.
pub fn move_and_copy(_op: &Operations, table: &str, _batch: &[BatchOp]) -> PyResult<()> {
    Err(PyErr::unsupported(format!(
        "batch_alter_table(\"{table}\") operations that need SQLite's move-and-copy"
    )))
}
