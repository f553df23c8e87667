# Lesson 4.18.10, part 2: seed 004's UserRepository, the N+1 it hides, loader options through it, create() that commits, session-per-request
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
repo.get_by_email("carol@example.com").name
print(repo.get_by_email("nobody@example.com"))
for u in repo.get_active_users():
    print(u.name, len(u.messages))
class UserRepository:
    def __init__(self, db: Session):
        self.db = db

    def get_active_users(self, *options) -> list[User]:
        stmt = select(User).where(User.is_active == True).options(*options)
        return list(self.db.scalars(stmt).all())

    def add(self, user: User) -> User:
        self.db.add(user)
        return user
session.close()
repo = UserRepository(session)
for u in repo.get_active_users(selectinload(User.messages)):
    print(u.name, len(u.messages))
class CommittingRepository:
    def __init__(self, db: Session):
        self.db = db

    def create(self, user: User) -> User:
        self.db.add(user)
        self.db.commit()
        self.db.refresh(user)
        return user
slow = CommittingRepository(session)
for name in ["Ann", "Ben", "Cat"]:
    slow.create(User(name=name, email=name.lower() + "@example.com"))
with Session(engine) as db:
    users = UserRepository(db)
    for name in ["Dan", "Eva", "Fay"]:
        users.add(User(name=name, email=name.lower() + "@example.org"))
    db.commit()
session.scalar(select(func.count()).select_from(User))
