//! `visit_textclause`: a `text()` statement's `:name` parameters in the
//! dialect's paramstyle.

use super::*;

/// `text(sql)` compiled for `dialect`, as SQLAlchemy's `visit_textclause`:
/// each `:name` (not after `:`, a word character or `\`, not followed by
/// `:`) becomes a bound parameter with its value from `params`; `\:` stands
/// for a literal `:`; `%` is doubled for a pyformat driver.
///
/// Also returns the name of the first parameter `params` has no value for
/// (SQLAlchemy then raises `A value is required for bind parameter 'x'`);
/// it is bound as NULL in the statement.
pub fn compile_text(
    sql: &str,
    params: &[(String, SqlValue)],
    dialect: &Dialect,
) -> (Compiled, Option<String>) {
    let mut missing = None;
    let mut compiler = SqlCompiler::new(dialect);
    let out = compiler.render_text(sql, params, &mut missing);
    (compiler.finish(out), missing)
}

impl SqlCompiler<'_> {
    /// `visit_textclause`'s body: `sql` with each `:name` rendered as a
    /// bound parameter of its value in `params` (pushed in order), the
    /// first name without a value kept in `missing` (bound as NULL). A
    /// `TextualSelect`'s subquery renders its text through this too.
    pub(super) fn render_text(
        &mut self,
        sql: &str,
        params: &[(String, SqlValue)],
        missing: &mut Option<String>,
    ) -> String {
        let dialect = self.dialect;
        let chars: Vec<char> = sql.chars().collect();
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' && chars.get(i + 1) == Some(&':') {
                // `\:name` is the literal text `:name`.
                out.push(':');
                i += 2;
                while i < chars.len() && word(chars[i]) {
                    out.push(chars[i]);
                    i += 1;
                }
                continue;
            }
            let after_ok = i == 0 || !(word(chars[i - 1]) || chars[i - 1] == ':');
            if c == ':' && after_ok && chars.get(i + 1).is_some_and(|n| word(*n)) {
                let mut j = i + 1;
                while j < chars.len() && word(chars[j]) {
                    j += 1;
                }
                if chars.get(j) != Some(&':') {
                    let name: String = chars[i + 1..j].iter().collect();
                    let value = match params.iter().find(|(k, _)| *k == name) {
                        Some((_, v)) => v.clone(),
                        None => {
                            missing.get_or_insert_with(|| name.clone());
                            SqlValue::Null
                        }
                    };
                    // `text()`'s parameters are `NullType`: no `::TYPE`
                    let mark = self.with_bind_type(BindType::Untyped, |c| {
                        c.visit_named_bindparam(&value, &name)
                    });
                    out.push_str(&mark);
                    i = j;
                    continue;
                }
            }
            if c == '%' {
                out.push_str(&dialect.escape_percent("%"));
            } else {
                out.push(c);
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::SQLITE;

    #[test]
    fn named_parameters_become_positional() {
        let params = vec![
            ("y".to_string(), SqlValue::Integer(2)),
            ("x".to_string(), SqlValue::Text("a".into())),
        ];
        let (c, missing) = compile_text("SELECT :x, :y, '10:30', a::int, \\:z", &params, &SQLITE);
        assert_eq!(missing, None);
        assert_eq!(c.sql, "SELECT ?, ?, '10:30', a::int, :z");
        assert_eq!(c.positiontup(), vec!["x", "y"]);
    }

    #[test]
    fn a_missing_value_names_its_parameter() {
        let (c, missing) = compile_text("SELECT :x", &[], &SQLITE);
        assert_eq!(c.sql, "SELECT ?");
        assert_eq!(missing.as_deref(), Some("x"));
    }
}
