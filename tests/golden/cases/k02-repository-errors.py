# A user exception class raised from a repository method, caught by class and by base class.
class RepositoryError(Exception):
    pass

class UserNotFound(RepositoryError):
    def __init__(self, user_id):
        super().__init__(f"user {user_id} not found")
        self.user_id = user_id

class Users:
    def __init__(self, session):
        self.session = session

    def get(self, user_id):
        user = self.session.get(User, user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

users = Users(session)
users.get(2).name
try:
    users.get(42)
except UserNotFound as e:
    print("not found:", e, e.user_id, e.args)
try:
    users.get(43)
except RepositoryError as e:
    print(type(e).__name__, repr(e))
try:
    users.get(44)
except Exception as e:
    print(str(e), isinstance(e, RepositoryError), isinstance(e, LookupError))
issubclass(UserNotFound, Exception)
UserNotFound.__mro__
users.get(45)
class Empty(Exception):
    pass
raise Empty
str(Empty("a", 1))
Empty("a", 1).args
