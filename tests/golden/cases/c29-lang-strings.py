s = "  Hello, World  "
print(s.strip(), s.lower(), s.upper(), s.replace("l", "L"), s.split(","))
print(",".join(["a", "b", "c"]), "abc".startswith("a"), "abc".endswith("bc"), "b" in "abc")
print("x" * 3, "abc"[::-1], "abc"[1], "Hello".find("l"), "hello world".title(), "a-b".split("-"))
print(str(5) + "5", int("7") + 1, float("2.5"), round(2.567, 1), abs(-3), 7 // 2, 7 % 3, 2 ** 10)
print(True and False, not True, None is None, 1 == 1.0, [1, 2] == [1, 2])
print(list(range(5)), list(range(2, 10, 3)))
lst = [3, 1, 2]
lst.append(4)
lst.sort()
print(lst, lst.pop(), lst, lst.index(2))
print(isinstance(1, int), type(1), type("s"), type(None))
print(bool(""), bool([0]), str(None), repr("it's"), repr('say "hi"'))
print({"a": [1, 2], "b": {"c": None}})
print(1e20, 1/3, 0.1 + 0.2, 10/2, -0.0, 2.0)
emails = [u.email.split("@")[1] for u in session.query(User).all()]
print(sorted(set(emails)))
print("%d%%" % 50)
