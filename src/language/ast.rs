//! The syntax tree of the tutor's Python subset. Every node carries a
//! [`Span`] (byte offsets into the source) that is left out of equality, so
//! tests compare trees, not positions.

/// Byte range `start..end` into the parsed source.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl PartialEq for Span {
    /// Spans never take part in equality.
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Python's binary operators (arithmetic and bitwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    /// `&`: `and_` on SQL expressions.
    BitAnd,
    /// `|`: `or_` on SQL expressions.
    BitOr,
    /// `^`
    BitXor,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `not x`
    Not,
    /// `~x`: `not_` on SQL expressions.
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

/// A keyword argument `name=value` in a call, or `**mapping` (as
/// Python's `ast.keyword`, whose `arg` is `None` there).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The keyword; `None` for `**mapping`.
    pub name: Option<String>,
    pub value: Expr,
    pub span: Span,
}

/// One piece of an f-string: literal text or a `{expr!r:spec}` field.
#[derive(Debug, Clone, PartialEq)]
pub enum FStringPart {
    Literal(String),
    Field {
        expr: Expr,
        /// `!r`, `!s` or `!a`.
        conversion: Option<char>,
        /// The text after `:`, e.g. `.2f` or `>10`.
        format_spec: Option<String>,
        /// A format spec with fields of its own (`{x:{width}.{p}f}`): its
        /// parts, formatted into the spec when the f-string runs; empty
        /// for a plain spec.
        nested_spec: Vec<FStringPart>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    None,
    Bool(bool),
    Int(i64),
    /// An int literal past 64 bits (`2**64` written out).
    BigInt(Box<num_bigint::BigInt>),
    Float(f64),
    Str(String),
    /// `b"…"`, escapes decoded.
    Bytes(Vec<u8>),
    FString(Vec<FStringPart>),
    Name(String),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// `{k: v, **m}`: each key and value; a `None` key is `**value`.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `*value` in a call's arguments, a list, tuple or set display, or an
    /// assignment target.
    Starred(Box<Expr>),
    /// `value.attr`; `attr_span` covers just the attribute name, for carets.
    Attribute {
        value: Box<Expr>,
        attr: String,
        attr_span: Span,
    },
    /// `value[index]`; `index` may be a [`ExprKind::Slice`].
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// `lower:upper:step` inside a subscript.
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<Keyword>,
    },
    BinOp {
        left: Box<Expr>,
        op: BinOp,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// `a and b and c` as one node.
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    /// `a < b <= c`: `left` then each operator with its right operand.
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    /// `body if test else orelse`
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// `[elt for target in iter if cond … for …]`: the `for` clauses
    /// outermost first; the generator expression `(elt for …)` when
    /// `generator`.
    ListComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
        generator: bool,
    },
    /// `await value` (in an `async def`, or at top level as `python -m
    /// asyncio` allows).
    Await(Box<Expr>),
    /// `yield [value]`: a statement, or the value of `x = yield v` (deeper
    /// inside an expression the tutor raises `NotImplementedError`).
    Yield(Option<Box<Expr>>),
    /// `yield from iterable`, in the same places as [`ExprKind::Yield`].
    YieldFrom(Box<Expr>),
    /// `lambda params: body`
    Lambda {
        params: Box<Parameters>,
        body: Box<Expr>,
    },
}

/// One `for target in iter if cond …` clause of a comprehension (Python's
/// `ast.comprehension`).
#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub conds: Vec<Expr>,
    /// `async for target in iter`: `iter` is an asynchronous iterable.
    pub is_async: bool,
}

/// The parameters of a `def` or `lambda` (Python's `ast.arguments`):
/// `def f(a, /, b=1, *args, c, d=2, **kwargs)`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parameters {
    /// The positional parameters, positional-only ones first (`a`, `b`).
    pub args: Vec<String>,
    /// How many of `args` stand before `/`.
    pub posonly: usize,
    /// Default values of the last `defaults.len()` of `args`.
    pub defaults: Vec<Expr>,
    /// `*args`'s name.
    pub vararg: Option<String>,
    /// The keyword-only parameters, after `*` or `*args` (`c`, `d`).
    pub kwonly: Vec<String>,
    /// One per `kwonly`: its default, if it has one.
    pub kw_defaults: Vec<Option<Expr>>,
    /// `**kwargs`'s name.
    pub kwarg: Option<String>,
    /// The parameters' annotations (`session: Session`), unevaluated, by
    /// parameter name in order: what `help(f)` shows.
    pub annotations: Vec<(String, Expr)>,
    /// A `def`'s return annotation (`-> Mapped[int]`), unevaluated: what
    /// SQLAlchemy's `declared_attr` reads as the attribute's annotation.
    pub returns: Option<Box<Expr>>,
}

impl Parameters {
    /// Every parameter name in order: `args`, `vararg`, `kwonly`, `kwarg`.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.args
            .iter()
            .chain(self.vararg.iter())
            .chain(self.kwonly.iter())
            .chain(self.kwarg.iter())
    }
}

/// A statement with its span (which covers its whole source text, body
/// included, so `&source[span.start..span.end]` is the statement's code).
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// `except Name as e:` clause of a `try`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptHandler {
    /// The exception class expression (`IntegrityError`, `(A, B)`), or `None`
    /// for a bare `except:`.
    pub type_: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
    /// `except* T:` (Python 3.11): the clause handles the part of an
    /// exception group that matches `T`.
    pub star: bool,
}

/// `with expr as target:` item.
#[derive(Debug, Clone, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `a = b = value`; each target is a Name, Attribute, Subscript, or a
    /// Tuple/List of those.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    /// `target: annotation [= value]`; the target is one Name, Attribute
    /// or Subscript. The annotation is kept unevaluated (as under `from
    /// __future__ import annotations`); class bodies read it for
    /// `Mapped[...]`.
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
    },
    /// `target op= value`
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    /// `for target in iter: body else: orelse` (`orelse` runs unless the
    /// loop ended with `break`).
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `while test: body else: orelse`
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `if`/`elif`/`else`; an `elif` is an `If` alone in `orelse`.
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    ClassDef {
        name: String,
        bases: Vec<Expr>,
        /// `class B(Base, kw_only=True)`: the class keywords, passed to the
        /// bases' `__init_subclass__`.
        keywords: Vec<Keyword>,
        body: Vec<Stmt>,
    },
    FunctionDef {
        name: String,
        params: Box<Parameters>,
        body: Vec<Stmt>,
    },
    Return(Option<Expr>),
    /// `raise [exc [from cause]]`
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    /// `del x`, `del obj.attr`
    Delete(Vec<Expr>),
    /// `assert test, msg`
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    Pass,
    Break,
    Continue,
    /// `import a.b [as c], …` (`from` is `None`) or `from a.b import c [as
    /// d], …` / `from a import *`.
    Import(Import),
    /// `global x, y`
    Global(Vec<String>),
    /// `nonlocal x, y`
    Nonlocal(Vec<String>),
    /// `@decorator` lines (in source order) before a `def`, `async def` or
    /// `class` (the `definition`): Python applies them bottom-up to what
    /// the definition made, then binds the name.
    Decorated {
        decorators: Vec<Expr>,
        definition: Box<Stmt>,
    },
    /// `async def`, `async with` or `async for`: the statement after
    /// `async` (a `FunctionDef`, `With` or `For`).
    Async(Box<Stmt>),
}

/// An `import` or `from … import` statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// `from` imports: the leading dots (`from ..x import y` → 2) and the
    /// dotted module name (empty for `from . import y`).
    pub from: Option<(usize, String)>,
    /// The imported names: dotted module names for `import`, plain names
    /// (or `*`) for `from … import`.
    pub names: Vec<ImportAlias>,
}

/// One imported name and its `as` alias.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportAlias {
    pub name: String,
    pub asname: Option<String>,
}

impl Import {
    /// The names this statement binds: the alias, else the name (for a plain
    /// `import a.b`, its first part `a`).
    pub fn bound_names(&self) -> Vec<String> {
        self.names
            .iter()
            .map(|a| match (&a.asname, &self.from) {
                (Some(n), _) => n.clone(),
                (None, Some(_)) => a.name.clone(),
                (None, None) => a.name.split('.').next().unwrap_or_default().to_string(),
            })
            .collect()
    }
}
