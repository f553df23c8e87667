//! Model definitions the tutor does not model yet say so at their line as
//! `NotImplementedError: orm-tutor does not support … yet`, never as a
//! Python or SQLAlchemy error (issue 9). What it does model is checked
//! against real SQLAlchemy by the `d0*` golden traces.

use orm_tutor::fixture::Fixture;
use orm_tutor::tutor::{DbTarget, Tutor};

const HEAD: &str =
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, registry
class B(DeclarativeBase):
    pass
";

/// The error type, message and line of the script's last step.
fn last_error(body: &str) -> (String, String, usize) {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    let src = format!("{HEAD}{body}");
    let step = t.run_script(&src).pop().expect("a step");
    let e = step.error.expect("an error");
    let line = e.location.map(|l| l.line).unwrap_or(0);
    (e.type_name, e.message, line)
}

fn assert_unsupported(body: &str, what: &str, line: usize) {
    let (ty, message, at) = last_error(body);
    assert_eq!(ty, "NotImplementedError", "{message}");
    assert!(
        message.starts_with("orm-tutor does not support ") && message.ends_with(" yet"),
        "{message}"
    );
    assert!(message.contains(what), "{message}");
    assert_eq!(at, line, "{message}");
}

#[test]
fn a_column_default_the_tutor_cannot_evaluate_is_not_supported_yet() {
    // functions, `datetime.utcnow` and `func.now()` are (goldens v02, v21, v22)
    assert_unsupported(
        "from sqlalchemy import text\nclass T(B):\n    __tablename__ = 't'\n    id: Mapped[int] = mapped_column(primary_key=True)\n    tag: Mapped[str] = mapped_column(onupdate=text('1'))\n",
        "a column onupdate of ",
        8,
    );
}

#[test]
fn secondaryjoin_without_secondary_is_an_argument_error_at_configure() {
    // SQLAlchemy 2.0.58's message, raised when the mappers configure
    let (ty, message, line) = last_error(
        "from sqlalchemy import ForeignKey\nclass T(B):\n    __tablename__ = 't'\n    id: Mapped[int] = mapped_column(primary_key=True)\n    p: Mapped[int] = mapped_column(ForeignKey('t.id'))\n    kids = relationship('T', secondaryjoin='T.id == T.p')\nT()\n",
    );
    assert_eq!(ty, "ArgumentError", "{message}");
    assert_eq!(
        message,
        "Property T.kids specified with secondary join condition but no secondary argument"
    );
    assert_eq!(line, 10);
}

#[test]
fn mapped_as_dataclass_callable_is_not_supported_yet() {
    // the other class keywords are (goldens v36, v40, v42 for order=True)
    assert_unsupported(
        "from sqlalchemy.orm import MappedAsDataclass\nclass D(MappedAsDataclass, DeclarativeBase, dataclass_callable=print):\n    pass\n",
        "dataclass_callable= on a MappedAsDataclass class",
        5,
    );
}

#[test]
fn registry_names_the_tutor_lacks_are_not_supported_yet() {
    assert_unsupported(
        "reg = registry()\nreg.map_imperatively\n",
        "registry.map_imperatively",
        5,
    );
}

#[test]
fn table_keep_existing_and_extend_existing_return_the_existing_table() {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    let src = "md = MetaData()
a = Table('t', md, Column('id', Integer, primary_key=True))
b = Table('t', md, Column('id', Integer, primary_key=True), extend_existing=True)
c = Table('t', md, keep_existing=True)
print(a is b, a is c)
Table('t', md, Column('x', Integer), extend_existing=True)
Table('t', md, Column('x', Integer))
";
    let steps = t.run_script(src);
    assert_eq!(steps[4].stdout, "True True\n");
    let e = steps[5].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "NotImplementedError", "{}", e.message);
    let e = steps[6].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "InvalidRequestError", "{}", e.message);
}

#[test]
fn remote_side_given_as_a_lambda_is_not_supported_yet() {
    assert_unsupported(
        "class T(B):\n    __tablename__ = 't'\n    id: Mapped[int] = mapped_column(primary_key=True)\n    parent_id = mapped_column(ForeignKey('t.id'))\n    parent = relationship('T', remote_side=lambda: [T.id])\n",
        "remote_side= given as a function",
        8,
    );
}

#[test]
fn remote_and_foreign_render_as_their_column() {
    // SQLAlchemy 2.0: `remote()`/`foreign()` only annotate (goldens v44, v45)
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    let src = "from sqlalchemy.orm import remote, foreign
print(remote(User.id) == 5, foreign(Message.user_id) != None)
remote()
";
    let steps = t.run_script(src);
    assert_eq!(
        steps[1].stdout,
        "users.id = :id_1 messages.user_id IS NOT NULL\n"
    );
    let e = steps[2].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "TypeError");
    assert_eq!(
        e.message,
        "remote() missing 1 required positional argument: 'expr'"
    );
}

#[test]
fn a_relationship_comparison_reads_its_value_when_the_statement_runs() {
    // SQLAlchemy 2.0.58's messages (golden v47 checks the steps and types)
    let (ty, message, line) = last_error(
        "from sqlalchemy import select\nt = User()\nstmt = select(Message.id).where(Message.user == t)\nsession.scalars(stmt).all()\n",
    );
    assert_eq!(ty, "StatementError", "{message}");
    assert!(
        message.starts_with(
            "(sqlalchemy.exc.InvalidRequestError) Can't resolve value for column users.id on object <User at 0x"
        ) && message.ends_with(
            "; no value has been set for this column\n[SQL: SELECT messages.id \nFROM messages \nWHERE ? = messages.user_id]"
        ),
        "{message}"
    );
    assert_eq!(line, 7);
}
