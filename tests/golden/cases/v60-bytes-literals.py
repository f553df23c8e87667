# Python's bytes: b"..." literals and their escapes, repr, len, indexing, slicing, iteration, operators, encode/decode
data = b"\x00ab\n" + b'it\'s' + rb"\d"
print(data, len(data), data[1], data[1:3], list(data[:3]))
print(repr(b'say "hi"'), b"\101\x42C", bytes(3), bytes([104, 105]), bytes("é", "utf-8"))
print(b"ab" * 2, b"a" in b"cat", 97 in b"cat", b"ab" == b"ab", b"ab" < b"b", hash(b"x") == hash(b"x"))
print("café".encode(), "café".encode("latin-1"), b"caf\xc3\xa9".decode("utf-8"), b"\xff".decode("utf-8", "replace"))
print(b"\x89PNG".hex(), bytes.fromhex("48 69"), b" a,b ".strip().split(b","), b"-".join([b"x", b"y"]), f"{b'a'}")
print(type(data).__name__, isinstance(data, bytes), str(b"q"), b"".join([]) or "empty", b"Hi".upper(), b"Hi".lower())
b"\xff".decode()
"é".encode("ascii")
b"a" + "b"
bytes("x")
x = b"caf\xc3\xa9"
x.find(b"f"), x.startswith(b"ca"), x.endswith(b"\xa9"), x.count(b"a"), x.replace(b"a", b"o")
