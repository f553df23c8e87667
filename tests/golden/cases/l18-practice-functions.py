# fixture: authors
# Lesson 4.18's practice on the blog of seed 001: the reference solutions of the four exercises, then what each known wrong answer does.
def create_author(session, name, email, posts):
    author = Author(name=name, email=email)
    for title, content in posts:
        author.posts.append(Post(title=title, content=content))
    session.add(author)
    session.commit()
    return author.id

posts = [("Apollo guidance", "Code that flew to the Moon."),
         ("Naming the work", "Why I called it software engineering.")]
print(create_author(session, "Margaret Hamilton", "mh@example.com", posts))
for a in session.scalars(select(Author).order_by(Author.id)): print(a.id, a.name, a.email)
for p in session.scalars(select(Post).order_by(Post.id)): print(p.id, p.author_id, p.title, p.published_at)
# wrong: flush() gives the id, but nothing is saved without commit()
def create_author_flush(session, name, email, posts):
    author = Author(name=name, email=email)
    for title, content in posts:
        author.posts.append(Post(title=title, content=content))
    session.add(author)
    session.flush()
    return author.id

s2 = Session(engine)
print(create_author_flush(s2, "Frances Allen", "frances@example.com", posts))
s2.close()
print(session.scalars(select(Author.name).where(Author.email == "frances@example.com")).all())
# wrong: author.id is None before a flush, so author_id is NULL
def create_author_by_id(session, name, email, posts):
    author = Author(name=name, email=email)
    session.add(author)
    for title, content in posts:
        session.add(Post(author_id=author.id, title=title, content=content))
    session.commit()
    return author.id

print(create_author_by_id(session, "Frances Allen", "frances@example.com", posts))
session.rollback()
# 2: posts by an author
def posts_by_author(session, author_id):
    stmt = select(Post).where(Post.author_id == author_id).order_by(Post.id)
    return session.scalars(stmt).all()

session.close()
for post in posts_by_author(session, 2):
    print(post.id, post.title)
def posts_by_author_lazy(session, author_id):
    return session.get(Author, author_id).posts

session.close()
for post in posts_by_author_lazy(session, 2):
    print(post.id, post.title)
def posts_by_author_wrong_column(session, author_id):
    return session.scalars(select(Post).where(Post.id == author_id)).all()

for post in posts_by_author_wrong_column(session, 2):
    print(post.id, post.title)
# 3: a post with its comments, used after its session is closed
def post_with_comments(session, post_id):
    stmt = select(Post).where(Post.id == post_id).options(selectinload(Post.comments))
    return session.scalars(stmt).one()

with Session(engine) as s:
    post = post_with_comments(s, 3)
print(post.title)
for c in post.comments:
    print(c.author_name + ":", c.content)
def post_lazy(session, post_id):
    return session.get(Post, post_id)

with Session(engine) as s:
    post = post_lazy(s, 3)
print(post.title)
for c in post.comments:
    print(c.author_name + ":", c.content)
def post_joined(session, post_id):
    stmt = select(Post).where(Post.id == post_id).options(joinedload(Post.comments))
    return session.scalars(stmt).one()

with Session(engine) as s:
    post = post_joined(s, 3)
def post_joined_get(session, post_id):
    return session.get(Post, post_id, options=[joinedload(Post.comments)])

with Session(engine) as s:
    post = post_joined_get(s, 3)
for c in post.comments:
    print(c.author_name + ":", c.content)
# 4: comments per post
def comment_counts(session):
    stmt = (
        select(Post.title, func.count(Comment.id))
        .outerjoin(Post.comments)
        .group_by(Post.id)
        .order_by(Post.id)
    )
    return session.execute(stmt).all()

session.close()
for title, n in comment_counts(session):
    print(title, n)
def comment_counts_lazy(session):
    return [(p.title, len(p.comments)) for p in session.scalars(select(Post).order_by(Post.id))]

session.close()
for title, n in comment_counts_lazy(session):
    print(title, n)
def comment_counts_inner(session):
    stmt = select(Post.title, func.count(Comment.id)).join(Post.comments).group_by(Post.id).order_by(Post.id)
    return session.execute(stmt).all()

for title, n in comment_counts_inner(session):
    print(title, n)
def comment_counts_star(session):
    stmt = select(Post.title, func.count()).outerjoin(Post.comments).group_by(Post.id).order_by(Post.id)
    return session.execute(stmt).all()

for title, n in comment_counts_star(session):
    print(title, n)
