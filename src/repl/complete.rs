//! Tab completion: names in scope, and after a dot the attributes of what
//! is before it (a model's columns and relationships, the session's
//! methods, a query's or result's methods), found by looking at the
//! interpreter's globals and, for call chains, by a light guess at what
//! each call returns.

use std::collections::HashMap;

use crate::orm::expression::COLUMN_METHODS;
use crate::orm::query::Entity;
use crate::python::Value;
use crate::python::value::Builtin;
use crate::tutor::Tutor;

/// Python keywords offered with the names in scope.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "if", "import", "in", "is", "lambda", "not", "or", "pass", "raise",
    "return", "try", "while", "with",
];
use crate::python::types::{dict::DICT_METHODS, list::LIST_METHODS, names, string::STR_METHODS};

const SQL_FUNCTIONS: &[&str] = &[
    "avg", "coalesce", "count", "date", "length", "lower", "max", "min", "now", "sum", "upper",
];
/// Query methods that give back a query (so the chain goes on).
const QUERY_CHAIN: &[&str] = &[
    "distinct",
    "filter",
    "filter_by",
    "group_by",
    "having",
    "join",
    "limit",
    "offset",
    "options",
    "order_by",
    "outerjoin",
    "select_from",
    "where",
    "with_entities",
];
/// Methods giving back one object of the queried model.
const ONE_OBJECT: &[&str] = &[
    "first",
    "one",
    "one_or_none",
    "get",
    "scalar_one",
    "scalar_one_or_none",
];

/// What a name or an expression is, as far as completion cares.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A mapped class, by name.
    Class(String),
    /// An instance of a mapped class.
    Object(String),
    Session,
    /// A query, with its model when it selects one.
    /// A `Query` (`session.query(...)`, `legacy` true) or a `Select`, of
    /// the entity named, if one.
    Query(Option<String>, bool),
    Result(Option<String>),
    /// A list, with the model of its items when they are instances.
    List(Option<String>),
    /// `User.name`, `User.name == 'x'`: column operators.
    Column,
    /// A Core table and its columns.
    Table(Vec<String>),
    /// A result row and its keys.
    Row(Vec<String>),
    Str,
    Dict,
    Func,
    /// The value of a call we cannot guess: query and result methods.
    UnknownCall,
    Unknown,
}

/// A model's attribute names and methods.
#[derive(Debug, Clone, Default, PartialEq)]
struct ClassInfo {
    attributes: Vec<String>,
    methods: Vec<String>,
}

/// What completion knows: a snapshot of the tutor's names, refreshed after
/// each entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completions {
    names: Vec<String>,
    kinds: HashMap<String, Kind>,
    classes: HashMap<String, ClassInfo>,
}

fn kind_of_value(v: &Value) -> Kind {
    match v {
        v if let Some(m) = crate::sqlalchemy::objects::as_class(v) => {
            Kind::Class(m.class_name.clone())
        }
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            Kind::Object(o.borrow().mapper.class_name.clone())
        }
        v if crate::sqlalchemy::session::as_session(v).is_some() => Kind::Session,
        v if let Some(q) = crate::sqlalchemy::query::as_query(v) => Kind::Query(
            match q.entities.as_slice() {
                [Entity::Mapper(m, ..)] => Some(m.class_name.clone()),
                _ => None,
            },
            q.is_legacy(),
        ),
        v if crate::sqlalchemy::result::as_result(v).is_some() => Kind::Result(None),
        Value::List(l) => Kind::List(match l.items.borrow().first() {
            Some(inst) if let Some(o) = crate::orm::state::as_instance(inst) => {
                Some(o.borrow().mapper.class_name.clone())
            }
            _ => None,
        }),
        v if crate::orm::expression::is_sql(v) => Kind::Column,
        v if let Some(t) = crate::sqlalchemy::objects::as_table(v) => {
            Kind::Table(t.columns.iter().map(|c| c.name.clone()).collect())
        }
        Value::Row(r) => Kind::Row(r.keys.to_vec()),
        Value::Str(_) => Kind::Str,
        Value::Dict(_) => Kind::Dict,
        Value::Builtin(Builtin::Func) => Kind::Func,
        _ => Kind::Unknown,
    }
}

impl Completions {
    /// A snapshot of what `tutor` has in scope.
    pub fn from_tutor(tutor: &Tutor) -> Completions {
        let mut kinds = HashMap::new();
        let mut classes = HashMap::new();
        for (name, value) in &tutor.interp.globals {
            kinds.insert(name.clone(), kind_of_value(value));
            if let Some(m) = crate::sqlalchemy::objects::as_class(value) {
                classes.insert(
                    m.class_name.clone(),
                    ClassInfo {
                        attributes: m.attribute_names(),
                        methods: m.methods.borrow().iter().map(|(n, _)| n.clone()).collect(),
                    },
                );
            }
        }
        for m in tutor.interp.registry.mappers.borrow().iter() {
            classes
                .entry(m.class_name.clone())
                .or_insert_with(|| ClassInfo {
                    attributes: m.attribute_names(),
                    methods: m.methods.borrow().iter().map(|(n, _)| n.clone()).collect(),
                });
        }
        Completions {
            names: tutor.names(),
            kinds,
            classes,
        }
    }

    /// Completions for the word ending at byte `pos` of `line`: where the
    /// word starts and the candidates, sorted. On a line that is blank up
    /// to the cursor, the one candidate is an indent of four spaces.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = floor_char_boundary(line, pos);
        let before = &line[..pos];
        if before.trim().is_empty() {
            return (pos, vec!["    ".to_string()]);
        }
        if in_string(before) {
            return (pos, Vec::new());
        }
        // `.sch`: a meta command
        if before.starts_with('.') && before[1..].chars().all(|c| c.is_ascii_lowercase()) {
            let mut names: Vec<String> = super::META_COMMANDS
                .iter()
                .map(|(n, _)| n.to_string())
                .filter(|n| n.starts_with(before))
                .collect();
            names.sort();
            return (0, names);
        }
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map(|(i, _)| i)
            .unwrap_or(pos);
        let prefix = &before[start..];
        if prefix.starts_with(|c: char| c.is_ascii_digit()) {
            return (start, Vec::new());
        }
        let head = &before[..start];
        let mut candidates: Vec<String> = match head.strip_suffix('.') {
            Some(receiver) => {
                if receiver.is_empty() || receiver.ends_with(|c: char| c.is_whitespace()) {
                    return (start, Vec::new());
                }
                self.members(&self.kind_of_expr(receiver))
            }
            None => self
                .keyword_arguments(head)
                .into_iter()
                .chain(self.names.iter().cloned())
                .chain(KEYWORDS.iter().map(|k| k.to_string()))
                .collect(),
        };
        candidates
            .retain(|c| c.starts_with(prefix) && (prefix.starts_with('_') || !c.starts_with('_')));
        candidates.sort();
        candidates.dedup();
        (start, candidates)
    }

    /// `name=` for each mapped attribute when `head` ends where an argument
    /// of a model's constructor (`User(na`) or of `filter_by(` starts.
    fn keyword_arguments(&self, head: &str) -> Vec<String> {
        let trimmed = head.trim_end();
        if !trimmed.ends_with(['(', ',']) {
            return Vec::new();
        }
        let Some(open) = innermost_open(trimmed, '(') else {
            return Vec::new();
        };
        let callee = trimmed[..open].trim_end();
        let start = ident_start(callee);
        let name = &callee[start..];
        let class = match callee[..start].strip_suffix('.') {
            None => match self.kinds.get(name) {
                Some(Kind::Class(c)) => Some(c.clone()),
                _ => None,
            },
            Some(receiver) if name == "filter_by" => match self.kind_of_expr(receiver) {
                Kind::Query(entity, _) => entity,
                _ => None,
            },
            Some(_) => None,
        };
        class
            .map(|c| {
                self.class_info(&c)
                    .attributes
                    .into_iter()
                    .map(|a| format!("{a}="))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn class_info(&self, class: &str) -> ClassInfo {
        self.classes.get(class).cloned().unwrap_or_default()
    }

    /// The attribute names of a thing of kind `kind`.
    fn members(&self, kind: &Kind) -> Vec<String> {
        let strs = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match kind {
            Kind::Class(c) => {
                let info = self.class_info(c);
                let mut v = info.attributes;
                v.extend(info.methods);
                v.extend(strs(&["__table__", "__tablename__"]));
                v
            }
            Kind::Object(c) => {
                let info = self.class_info(c);
                let mut v = info.attributes;
                v.extend(info.methods);
                v
            }
            Kind::Session => strs(&crate::sqlalchemy::session::session_names()),
            Kind::Query(_, legacy) => strs(&crate::sqlalchemy::query::query_names(*legacy)),
            Kind::Result(_) => strs(&crate::sqlalchemy::result::result_names()),
            Kind::List(_) => strs(&names(LIST_METHODS)),
            Kind::Column => {
                let mut v = strs(COLUMN_METHODS);
                v.extend(strs(&["any", "has"]));
                v
            }
            Kind::Table(cols) => {
                let mut v = cols.clone();
                v.extend(strs(&[
                    "c", "columns", "delete", "insert", "name", "select", "update",
                ]));
                v
            }
            Kind::Row(keys) => keys.clone(),
            Kind::Str => strs(&names(STR_METHODS)),
            Kind::Dict => strs(&names(DICT_METHODS)),
            Kind::Func => strs(SQL_FUNCTIONS),
            Kind::UnknownCall => {
                let mut v = strs(&crate::sqlalchemy::query::query_names(true));
                v.extend(strs(&crate::sqlalchemy::result::result_names()));
                v
            }
            Kind::Unknown => Vec::new(),
        }
    }

    /// What the expression at the end of `text` is (best effort).
    fn kind_of_expr(&self, text: &str) -> Kind {
        self.kind_of_expr_depth(text, 0)
    }

    fn kind_of_expr_depth(&self, text: &str, depth: usize) -> Kind {
        if depth > 32 {
            return Kind::Unknown;
        }
        let text = text.trim_end();
        if let Some(inner) = text.strip_suffix(')') {
            let Some(open) = innermost_open(inner, '(') else {
                return Kind::Unknown;
            };
            let args = &inner[open + 1..];
            let callee = &inner[..open];
            return self.kind_of_call(callee, args, depth);
        }
        if let Some(inner) = text.strip_suffix(']') {
            let Some(open) = innermost_open(inner, '[') else {
                return Kind::Unknown;
            };
            let base = &inner[..open];
            if base.trim().is_empty()
                || base.ends_with(|c: char| !is_ident_char(c) && c != ')' && c != ']')
            {
                return Kind::List(None); // a list display
            }
            return match self.kind_of_expr_depth(base, depth + 1) {
                Kind::List(Some(c)) => Kind::Object(c),
                _ => Kind::Unknown,
            };
        }
        if text.ends_with(['\'', '"']) {
            return Kind::Str;
        }
        let start = ident_start(text);
        let name = &text[start..];
        if name.is_empty() {
            return Kind::Unknown;
        }
        match text[..start].strip_suffix('.') {
            None => self.kinds.get(name).cloned().unwrap_or(Kind::Unknown),
            Some(receiver) => match self.kind_of_expr_depth(receiver, depth + 1) {
                Kind::Class(c) if self.class_info(&c).attributes.iter().any(|a| a == name) => {
                    Kind::Column
                }
                Kind::Table(cols) if name == "c" || name == "columns" => Kind::Table(cols),
                Kind::Table(_) => Kind::Column,
                _ => Kind::Unknown,
            },
        }
    }

    /// What calling `callee(args)` gives.
    fn kind_of_call(&self, callee: &str, args: &str, depth: usize) -> Kind {
        let callee = callee.trim_end();
        let start = ident_start(callee);
        let name = &callee[start..];
        if name.is_empty() {
            return Kind::Unknown;
        }
        let first_arg_class = || {
            let a = args.trim_start();
            let end = a.find(|c: char| !is_ident_char(c)).unwrap_or(a.len());
            let n = &a[..end];
            self.classes.contains_key(n).then(|| n.to_string())
        };
        let Some(receiver) = callee[..start].strip_suffix('.') else {
            // a plain function call
            return match (name, self.kinds.get(name)) {
                (_, Some(Kind::Class(c))) => Kind::Object(c.clone()),
                ("select", _) => Kind::Query(first_arg_class(), false),
                ("str" | "repr", _) => Kind::Str,
                ("list" | "sorted", _) => Kind::List(None),
                ("dict", _) => Kind::Dict,
                _ => Kind::UnknownCall,
            };
        };
        match self.kind_of_expr_depth(receiver, depth + 1) {
            Kind::Session => match name {
                "query" => Kind::Query(first_arg_class(), true),
                "execute" => Kind::Result(None),
                "scalars" => Kind::Result(None),
                "get" => first_arg_class().map(Kind::Object).unwrap_or(Kind::Unknown),
                _ => Kind::Unknown,
            },
            Kind::Query(entity, legacy) => match name {
                n if QUERY_CHAIN.contains(&n) => Kind::Query(entity, legacy),
                n if ONE_OBJECT.contains(&n) => entity.map(Kind::Object).unwrap_or(Kind::Unknown),
                "all" => Kind::List(entity),
                "subquery" => Kind::Table(Vec::new()),
                _ => Kind::Unknown,
            },
            Kind::Result(entity) => match name {
                "scalars" | "unique" => Kind::Result(entity),
                "all" | "fetchall" => Kind::List(entity),
                _ => Kind::Unknown,
            },
            Kind::Str => match name {
                "split" => Kind::List(None),
                "count" | "find" => Kind::Unknown,
                _ => Kind::Str,
            },
            Kind::Table(_) if matches!(name, "select" | "insert" | "update" | "delete") => {
                Kind::Query(None, false)
            }
            _ => Kind::UnknownCall,
        }
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where the identifier ending `text` starts.
fn ident_start(text: &str) -> usize {
    text.char_indices()
        .rev()
        .take_while(|(_, c)| is_ident_char(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// The largest char boundary not after `pos`.
fn floor_char_boundary(s: &str, pos: usize) -> usize {
    let mut p = pos.min(s.len());
    while !s.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// What a scan of one line's text finds at its end: the brackets still
/// open (position and character, innermost last), and whether it ends
/// inside a string or a comment. Quotes and `#` inside a string, and
/// everything after a `#`, do not count.
struct Scanned {
    open: Vec<(usize, char)>,
    in_string: bool,
    in_comment: bool,
}

fn scan(text: &str) -> Scanned {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') => {
                return Scanned {
                    open,
                    in_string: false,
                    in_comment: true,
                };
            }
            (None, '(' | '[' | '{') => open.push((i, c)),
            (None, ')' | ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    Scanned {
        open,
        in_string: quote.is_some(),
        in_comment: false,
    }
}

/// Whether `text` ends inside a string literal or a comment.
fn in_string(text: &str) -> bool {
    let s = scan(text);
    s.in_string || s.in_comment
}

/// The index of the innermost bracket of `text` still open at its end,
/// when it is an `open` (`(` or `[`), skipping closed brackets and strings.
fn innermost_open(text: &str, open: char) -> Option<usize> {
    match scan(text).open.last() {
        Some((i, c)) if *c == open => Some(*i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use crate::tutor::DbTarget;

    fn completions() -> Completions {
        match Tutor::start(Fixture::chat(), DbTarget::Memory) {
            Ok(tutor) => Completions::from_tutor(&tutor),
            Err(e) => panic!("the chat fixture should start: {e}"),
        }
    }

    fn complete(c: &Completions, line: &str) -> Vec<String> {
        c.complete(line, line.len()).1
    }

    #[test]
    fn completes_names_and_model_attributes() {
        let c = completions();
        assert_eq!(complete(&c, "User.na"), vec!["name"]);
        assert_eq!(c.complete("User.na", 7).0, 5);
        assert!(complete(&c, "sess").contains(&"session".to_string()));
        assert_eq!(complete(&c, "session.qu"), vec!["query"]);
        let attrs = complete(&c, "User.");
        for a in ["id", "name", "email", "messages", "groups", "role"] {
            assert!(attrs.contains(&a.to_string()), "{attrs:?}");
        }
        assert!(!attrs.iter().any(|a| a.starts_with("__")), "{attrs:?}");
        assert_eq!(complete(&c, "User.__tablen"), vec!["__tablename__"]);
    }

    #[test]
    fn completes_along_call_chains() {
        let c = completions();
        assert_eq!(
            complete(&c, "session.query(User).fil"),
            vec!["filter", "filter_by"]
        );
        assert_eq!(
            complete(
                &c,
                "session.query(User).filter(User.name == 'a').first().ema"
            ),
            vec!["email"]
        );
        // a Select offers Select's methods, not the legacy Query's
        assert_eq!(complete(&c, "select(User).fir"), Vec::<String>::new());
        assert_eq!(complete(&c, "session.query(User).fir"), vec!["first"]);
        assert_eq!(complete(&c, "select(User).wh"), vec!["where"]);
        assert_eq!(
            complete(&c, "session.execute(select(User)).scalar_"),
            vec!["scalar_one", "scalar_one_or_none"]
        );
        assert_eq!(
            complete(&c, "session.query(User).all()[0].mess"),
            vec!["messages"]
        );
        assert_eq!(complete(&c, "print(User.name.ili"), vec!["ilike"]);
        assert_eq!(
            complete(&c, "session.get(User, 1).rol"),
            vec!["role", "role_id"]
        );
        assert_eq!(complete(&c, "func.cou"), vec!["count"]);
        // an unknown call: query and result methods
        let unknown = complete(&c, "f(x).scal");
        assert!(
            unknown.contains(&"scalar".to_string()) && unknown.contains(&"scalars".to_string())
        );
    }

    #[test]
    fn completes_the_learners_variables_by_what_they_hold() {
        let mut tutor = match Tutor::start(Fixture::chat(), DbTarget::Memory) {
            Ok(t) => t,
            Err(e) => panic!("the chat fixture should start: {e}"),
        };
        tutor.run_entry(
            "q = session.query(User)\nr = session.execute(select(User))\nbob = session.get(User, 2)\nusers = q.all()",
        );
        let c = Completions::from_tutor(&tutor);
        assert_eq!(complete(&c, "q.fil"), vec!["filter", "filter_by"]);
        assert_eq!(
            complete(&c, "r.scalar_o"),
            vec!["scalar_one", "scalar_one_or_none"]
        );
        assert_eq!(complete(&c, "bob.em"), vec!["email"]);
        assert_eq!(complete(&c, "users[0].na"), vec!["name"]);
        assert_eq!(complete(&c, "users.app"), vec!["append"]);
        assert_eq!(
            complete(&c, "q.filter(User.id > 1).first().rol"),
            vec!["role", "role_id"]
        );
        assert!(complete(&c, "bo").contains(&"bob".to_string()));
    }

    #[test]
    fn completes_keyword_arguments_and_meta_commands() {
        let c = completions();
        assert_eq!(complete(&c, "User(na"), vec!["name="]);
        assert_eq!(complete(&c, "u = User(name='x', em"), vec!["email="]);
        assert_eq!(
            complete(&c, "session.query(User).filter_by(is_"),
            vec!["is_active="]
        );
        assert_eq!(complete(&c, "select(User).filter_by(ema"), vec!["email="]);
        // not inside a list argument, nor for a plain function
        assert!(!complete(&c, "User(x=[na").contains(&"name=".to_string()));
        assert!(!complete(&c, "print(na").contains(&"name=".to_string()));
        assert_eq!(complete(&c, ".sch"), vec![".schema"]);
        assert_eq!(
            complete(&c, ".s"),
            vec![".schema", ".session", ".sql", ".stamp"]
        );
        let (start, _) = c.complete(".ta", 3);
        assert_eq!(start, 0);
    }

    #[test]
    fn nothing_inside_strings_and_an_indent_on_blank_lines() {
        let c = completions();
        assert!(complete(&c, "print('ses").is_empty());
        assert_eq!(complete(&c, "    "), vec!["    "]);
        assert_eq!(complete(&c, ""), vec!["    "]);
        assert!(complete(&c, "1.").is_empty());
        // a position inside a multi-byte character does not panic
        let _ = c.complete("é", 1);
    }
}
