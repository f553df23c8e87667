//! Autogenerate's rendering: the `op.…` calls Alembic 1.x writes into a
//! migration's `upgrade()` / `downgrade()` (`alembic/autogenerate/render.py`,
//! `render_python_code`), for the operations a comparison of `MetaData`
//! with the database yields. The comparison and the `.autogenerate` meta
//! command that prints a revision are later parts of issue 16; this is the
//! text they will print.

use crate::sql::schema::SqlType;

use super::ddl::ConstraintSpec;

/// A column as autogenerate renders it: `sa.Column('age', sa.Integer(),
/// nullable=True)`; `server_default` is the Python string given.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderColumn {
    pub name: String,
    pub sql_type: SqlType,
    pub nullable: bool,
    pub server_default: Option<String>,
}

/// One operation of a migration (Alembic's `MigrateOperation`s).
#[derive(Debug, Clone, PartialEq)]
pub enum MigrateOp {
    AddColumn(String, RenderColumn),
    DropColumn(String, String),
    CreateTable(String, Vec<RenderColumn>, Vec<ConstraintSpec>),
    DropTable(String),
    CreateIndex {
        name: String,
        table: String,
        columns: Vec<String>,
        unique: bool,
    },
    DropIndex {
        name: String,
        table: String,
    },
}

/// A Python string literal as `repr()` writes it (single quotes).
fn py_str(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn py_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| py_str(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `sa.String(length=50)`, `sa.Numeric(precision=10, scale=2)`: a type as
/// `render._repr_type` writes it.
pub fn render_type(t: &SqlType) -> String {
    let args = |p: &Option<u32>, s: &Option<u32>| match (p, s) {
        (Some(p), Some(s)) => format!("precision={p}, scale={s}"),
        (Some(p), None) => format!("precision={p}"),
        _ => String::new(),
    };
    match t {
        SqlType::String(Some(n)) => format!("sa.String(length={n})"),
        SqlType::Char(Some(n)) => format!("sa.CHAR(length={n})"),
        SqlType::Numeric(p, s) => format!("sa.Numeric({})", args(p, s)),
        SqlType::Decimal(p, s) => format!("sa.DECIMAL({})", args(p, s)),
        SqlType::Enum(names, _) => format!(
            "sa.Enum({})",
            names
                .iter()
                .map(|n| py_str(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("sa.{}()", other.python_name()),
    }
}

/// `sa.Column('age', sa.Integer(), nullable=True)`.
pub fn render_column(c: &RenderColumn) -> String {
    let default = c
        .server_default
        .as_ref()
        .map_or(String::new(), |d| format!("server_default={}, ", py_str(d)));
    format!(
        "sa.Column({}, {}, {default}nullable={})",
        py_str(&c.name),
        render_type(&c.sql_type),
        if c.nullable { "True" } else { "False" }
    )
}

/// A table-level constraint as `create_table` lists it.
pub fn render_constraint(c: &ConstraintSpec) -> String {
    let name = |n: &Option<String>| {
        n.as_ref()
            .map_or(String::new(), |n| format!(", name={}", py_str(n)))
    };
    let cols = |cs: &[String]| cs.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ");
    match c {
        ConstraintSpec::PrimaryKey { name: n, columns } => {
            format!("sa.PrimaryKeyConstraint({}{})", cols(columns), name(n))
        }
        ConstraintSpec::Unique { name: n, columns } => {
            format!("sa.UniqueConstraint({}{})", cols(columns), name(n))
        }
        ConstraintSpec::ForeignKey {
            name: n,
            columns,
            referred_table,
            referred_columns,
            ondelete,
        } => {
            let refs: Vec<String> = referred_columns
                .iter()
                .map(|c| format!("{referred_table}.{c}"))
                .collect();
            let mut extra = name(n);
            if let Some(d) = ondelete {
                extra.push_str(&format!(", ondelete={}", py_str(d)));
            }
            format!(
                "sa.ForeignKeyConstraint({}, {}{extra}, )",
                py_list(columns),
                py_list(&refs)
            )
        }
        ConstraintSpec::Check { name: n, sql } => {
            format!("sa.CheckConstraint({}{})", py_str(sql), name(n))
        }
    }
}

fn render_op(op: &MigrateOp) -> String {
    match op {
        MigrateOp::AddColumn(t, c) => {
            format!("op.add_column({}, {})", py_str(t), render_column(c))
        }
        MigrateOp::DropColumn(t, c) => format!("op.drop_column({}, {})", py_str(t), py_str(c)),
        MigrateOp::CreateTable(t, columns, constraints) => {
            let mut args: Vec<String> = columns.iter().map(render_column).collect();
            args.extend(constraints.iter().map(render_constraint));
            format!(
                "op.create_table({},\n    {}\n    )",
                py_str(t),
                args.join(",\n    ")
            )
        }
        MigrateOp::DropTable(t) => format!("op.drop_table({})", py_str(t)),
        MigrateOp::CreateIndex {
            name,
            table,
            columns,
            unique,
        } => format!(
            "op.create_index({}, {}, {}, unique={})",
            py_str(name),
            py_str(table),
            py_list(columns),
            if *unique { "True" } else { "False" }
        ),
        MigrateOp::DropIndex { name, table } => format!(
            "op.drop_index({}, table_name={})",
            py_str(name),
            py_str(table)
        ),
    }
}

/// Alembic's `render_python_code(UpgradeOps(ops=…))`: the body of
/// `upgrade()` (or `downgrade()`) between its generated-code comments,
/// indented by four spaces after the first line; `pass` when empty.
pub fn render_python_code(ops: &[MigrateOp]) -> String {
    let mut lines =
        vec!["# ### commands auto generated by Alembic - please adjust! ###".to_string()];
    if ops.is_empty() {
        lines.push("    pass".into());
    }
    for op in ops {
        lines.push(format!("    {}", render_op(op)));
    }
    lines.push("    # ### end Alembic commands ###".into());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, t: SqlType, nullable: bool) -> RenderColumn {
        RenderColumn {
            name: name.into(),
            sql_type: t,
            nullable,
            server_default: None,
        }
    }

    /// Expected text from Alembic 1.20's `render_python_code` on the same
    /// operations (`ops.AddColumnOp`, `ops.CreateTableOp`, …).
    #[test]
    fn migrations_render_as_alembic_writes_them() {
        let mut nick = col("nick", SqlType::String(Some(50)), false);
        nick.server_default = Some("x".into());
        let ops = [
            MigrateOp::AddColumn("users".into(), col("age", SqlType::Integer, true)),
            MigrateOp::AddColumn("users".into(), nick),
            MigrateOp::DropColumn("users".into(), "old".into()),
            MigrateOp::CreateIndex {
                name: "ix_users_age".into(),
                table: "users".into(),
                columns: vec!["age".into()],
                unique: false,
            },
            MigrateOp::CreateTable(
                "tags".into(),
                vec![
                    col("id", SqlType::Integer, false),
                    col("name", SqlType::String(Some(50)), true),
                    col("user_id", SqlType::Integer, true),
                ],
                vec![
                    ConstraintSpec::ForeignKey {
                        name: None,
                        columns: vec!["user_id".into()],
                        referred_table: "users".into(),
                        referred_columns: vec!["id".into()],
                        ondelete: None,
                    },
                    ConstraintSpec::PrimaryKey {
                        name: None,
                        columns: vec!["id".into()],
                    },
                    ConstraintSpec::Unique {
                        name: None,
                        columns: vec!["name".into()],
                    },
                ],
            ),
            MigrateOp::DropTable("old_table".into()),
            MigrateOp::DropIndex {
                name: "ix_old".into(),
                table: "users".into(),
            },
        ];
        assert_eq!(
            render_python_code(&ops),
            "# ### commands auto generated by Alembic - please adjust! ###\n    op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))\n    op.add_column('users', sa.Column('nick', sa.String(length=50), server_default='x', nullable=False))\n    op.drop_column('users', 'old')\n    op.create_index('ix_users_age', 'users', ['age'], unique=False)\n    op.create_table('tags',\n    sa.Column('id', sa.Integer(), nullable=False),\n    sa.Column('name', sa.String(length=50), nullable=True),\n    sa.Column('user_id', sa.Integer(), nullable=True),\n    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),\n    sa.PrimaryKeyConstraint('id'),\n    sa.UniqueConstraint('name')\n    )\n    op.drop_table('old_table')\n    op.drop_index('ix_old', table_name='users')\n    # ### end Alembic commands ###"
        );
    }

    #[test]
    fn types_render_as_alembic_writes_them() {
        assert_eq!(
            render_python_code(&[]),
            "# ### commands auto generated by Alembic - please adjust! ###\n    pass\n    # ### end Alembic commands ###"
        );
        assert_eq!(
            render_type(&SqlType::Enum(vec!["a".into(), "bb".into()], None)),
            "sa.Enum('a', 'bb')"
        );
        let rendered: Vec<String> = [
            SqlType::BigInteger,
            SqlType::String(None),
            SqlType::Text,
            SqlType::Boolean,
            SqlType::DateTime,
            SqlType::Numeric(Some(10), Some(2)),
            SqlType::Char(Some(3)),
            SqlType::LargeBinary,
            SqlType::Json,
            SqlType::Uuid,
            SqlType::Decimal(Some(10), Some(2)),
        ]
        .iter()
        .map(render_type)
        .collect();
        assert_eq!(
            rendered,
            [
                "sa.BigInteger()",
                "sa.String()",
                "sa.Text()",
                "sa.Boolean()",
                "sa.DateTime()",
                "sa.Numeric(precision=10, scale=2)",
                "sa.CHAR(length=3)",
                "sa.LargeBinary()",
                "sa.JSON()",
                "sa.Uuid()",
                "sa.DECIMAL(precision=10, scale=2)"
            ]
        );
    }
}
