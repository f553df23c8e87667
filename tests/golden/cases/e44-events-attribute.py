# attribute events: "set" with retval=True changes the value set; a plain "set" listener sees value, oldvalue and initiator
from sqlalchemy import event
@event.listens_for(User.name, "set", retval=True)
def strip_name(target, value, oldvalue, initiator):
    print("set name", repr(value), oldvalue, initiator.key)
    return value.strip().title()
@event.listens_for(User.email, "set")
def email_set(target, value, oldvalue, initiator):
    print("set email", value, oldvalue)
u = User(name="  ann lee ", email="ann@x")
print(u.name)
session.add(u)
session.commit()
u.name = " bob "
print(u.name)
u.email = "bob@x"
u2 = session.get(User, 2)
u2.email = "new@x"
session.commit()
print(u2.email, u.name)
