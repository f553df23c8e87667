u = session.get(User, 4)
u.profile = Profile(bio="New bio")
session.commit()
session.get(User, 4).profile.bio
p = session.get(Profile, 1)
p.user.name
session.query(User).options(joinedload(User.profile)).filter(User.id.in_([1, 4])).all()
