# Errors of the new constructs: load_only/defer with bad arguments, with_parent misuse, of_type of another class
load_only(5)
defer("email")
undefer(User.messages)
with_parent(5, User.messages)
with_parent(session.get(User, 1), User.name)
User.messages.of_type(aliased(Message))
aliased(User).nope
user_groups.alias("ug").c.nope
inspect(session.get(User, 1)).attrs.nope
