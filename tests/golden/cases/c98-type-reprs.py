# SQLAlchemy's type classes and instances as Python shows them: <class 'sqlalchemy.sql.sqltypes.Integer'>, repr() as generic_repr (String(length=30)), str() as the type's DDL (VARCHAR(30)); schema classes
print(Integer, String, BigInteger, DateTime)
print(Column, Table, MetaData, ForeignKey, Sequence)
print(repr(String(30)), repr(Integer()), repr(Numeric(10, 2)), repr(DECIMAL(5)), repr(CHAR(3)), repr(Enum("draft", "done")))
print(String(30), Integer(), Numeric(10, 2), Text(), Boolean(), DateTime(), Enum("draft", "done"))
types = [String(20), BigInteger(), Float(), Date()]
types
print(types)
type_ = String(50)
type_
print(f"{type_!r} / {type_}")
