# issue 9: in-place operators change the object itself (dict |=, set |= &= -=)
d = {"a": 1}
alias = d
d |= {"b": 2}
d |= [("c", 3)]
print(d, alias is d, alias)
s = {1, 2}
t = s
s |= {3}
s &= {1, 3, 4}
s -= {1}
print(s, t is s, t)
merged = {"x": 1} | {"y": 2}
print(merged, type(merged) is dict)
print("%-6s|%6.2f|%+04d" % ("name", 2.5, 7), "{:>6}|{:<6}|{:^6}|".format("r", "l", "c"))
for i, (k, v) in enumerate(sorted(d.items()), start=1):
    print(f"{i:>2}. {k!r:<5} {v:03d}")
