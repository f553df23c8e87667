# a mapped attribute's .property (RelationshipProperty, ColumnProperty), inspect(User).relationships / .column_attrs, a bare relationship() printed
print(User.messages.property)
User.messages.property.mapper
User.name.property.columns
list(inspect(User).relationships.keys())
list(inspect(User).column_attrs.keys())
r = relationship()
type(r).__name__
print(r)
