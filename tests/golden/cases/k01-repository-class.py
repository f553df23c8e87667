# A repository class over the session (seed 004's UserRepository, on the chat fixture).
class UserRepository:
    def __init__(self, db: Session):
        self.db = db

    def get_by_id(self, user_id: int) -> User | None:
        return self.db.get(User, user_id)

    def get_by_email(self, email: str) -> User | None:
        stmt = select(User).where(User.email == email)
        return self.db.execute(stmt).scalar_one_or_none()

    def create(self, user: User) -> User:
        self.db.add(user)
        self.db.commit()
        self.db.refresh(user)
        return user

    def get_active_users(self) -> list[User]:
        stmt = select(User).where(User.is_active == True)
        return list(self.db.execute(stmt).scalars().all())

repo = UserRepository(session)
type(repo).__name__
repo.__class__.__name__
isinstance(repo, UserRepository)
alice = repo.get_by_id(1)
alice.name
repo.get_by_id(1) is alice
repo.get_by_email("bob@example.com")
print(repo.get_by_email("nobody@example.com"))
[u.name for u in repo.get_active_users()]
zoe = repo.create(User(name="Zoe", email="zoe@example.com"))
zoe.id
repo.db is session
vars(repo) == {"db": session}
repo.nickname
getattr(repo, "nickname", "none")
hasattr(repo, "get_by_id")
setattr(repo, "limit", 10)
repo.limit
