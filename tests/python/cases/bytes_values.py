# bytes: operators, the constructor, codecs and methods, with CPython 3.11 errors
try:
    print('b"a"+"b"', '->', repr(b"a"+"b"))
except Exception as e:
    print('b"a"+"b"', '->', type(e).__name__ + ':', e)
try:
    print('"a"+b"b"', '->', repr("a"+b"b"))
except Exception as e:
    print('"a"+b"b"', '->', type(e).__name__ + ':', e)
try:
    print('b"a"+1', '->', repr(b"a"+1))
except Exception as e:
    print('b"a"+1', '->', type(e).__name__ + ':', e)
try:
    print('"x" in b"abc"', '->', repr("x" in b"abc"))
except Exception as e:
    print('"x" in b"abc"', '->', type(e).__name__ + ':', e)
try:
    print('300 in b"abc"', '->', repr(300 in b"abc"))
except Exception as e:
    print('300 in b"abc"', '->', type(e).__name__ + ':', e)
try:
    print('b"a"*1.5', '->', repr(b"a"*1.5))
except Exception as e:
    print('b"a"*1.5', '->', type(e).__name__ + ':', e)
try:
    print('b"ab"[5]', '->', repr(b"ab"[5]))
except Exception as e:
    print('b"ab"[5]', '->', type(e).__name__ + ':', e)
try:
    print('bytes("x")', '->', repr(bytes("x")))
except Exception as e:
    print('bytes("x")', '->', type(e).__name__ + ':', e)
try:
    print('bytes(-1)', '->', repr(bytes(-1)))
except Exception as e:
    print('bytes(-1)', '->', type(e).__name__ + ':', e)
try:
    print('bytes([300])', '->', repr(bytes([300])))
except Exception as e:
    print('bytes([300])', '->', type(e).__name__ + ':', e)
try:
    print('bytes(1.5)', '->', repr(bytes(1.5)))
except Exception as e:
    print('bytes(1.5)', '->', type(e).__name__ + ':', e)
try:
    print('bytes(["a"])', '->', repr(bytes(["a"])))
except Exception as e:
    print('bytes(["a"])', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xff".decode()', '->', repr(b"\xff".decode()))
except Exception as e:
    print('b"\\xff".decode()', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xc3".decode()', '->', repr(b"\xc3".decode()))
except Exception as e:
    print('b"\\xc3".decode()', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xe2\\x82".decode()', '->', repr(b"\xe2\x82".decode()))
except Exception as e:
    print('b"\\xe2\\x82".decode()', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xc3(".decode()', '->', repr(b"\xc3(".decode()))
except Exception as e:
    print('b"\\xc3(".decode()', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xff".decode("ascii")', '->', repr(b"\xff".decode("ascii")))
except Exception as e:
    print('b"\\xff".decode("ascii")', '->', type(e).__name__ + ':', e)
try:
    print('"é".encode("ascii")', '->', repr("é".encode("ascii")))
except Exception as e:
    print('"é".encode("ascii")', '->', type(e).__name__ + ':', e)
try:
    print('"éé".encode("ascii")', '->', repr("éé".encode("ascii")))
except Exception as e:
    print('"éé".encode("ascii")', '->', type(e).__name__ + ':', e)
try:
    print('"x".encode("nope")', '->', repr("x".encode("nope")))
except Exception as e:
    print('"x".encode("nope")', '->', type(e).__name__ + ':', e)
try:
    print('b"x".decode("nope")', '->', repr(b"x".decode("nope")))
except Exception as e:
    print('b"x".decode("nope")', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xff\\xfe".decode("utf-8", "bogus")', '->', repr(b"\xff\xfe".decode("utf-8", "bogus")))
except Exception as e:
    print('b"\\xff\\xfe".decode("utf-8", "bogus")', '->', type(e).__name__ + ':', e)
try:
    print('bytes.fromhex("zz")', '->', repr(bytes.fromhex("zz")))
except Exception as e:
    print('bytes.fromhex("zz")', '->', type(e).__name__ + ':', e)
try:
    print('bytes.fromhex("a")', '->', repr(bytes.fromhex("a")))
except Exception as e:
    print('bytes.fromhex("a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".startswith("a")', '->', repr(b"a".startswith("a")))
except Exception as e:
    print('b"a".startswith("a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".join(["a"])', '->', repr(b"a".join(["a"])))
except Exception as e:
    print('b"a".join(["a"])', '->', type(e).__name__ + ':', e)
try:
    print('b"a".split("a")', '->', repr(b"a".split("a")))
except Exception as e:
    print('b"a".split("a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".strip("a")', '->', repr(b"a".strip("a")))
except Exception as e:
    print('b"a".strip("a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".find("a")', '->', repr(b"a".find("a")))
except Exception as e:
    print('b"a".find("a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".replace("a", b"b")', '->', repr(b"a".replace("a", b"b")))
except Exception as e:
    print('b"a".replace("a", b"b")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".count("a")', '->', repr(b"a".count("a")))
except Exception as e:
    print('b"a".count("a")', '->', type(e).__name__ + ':', e)
try:
    print('hash(b"a")==hash(b"a")', '->', repr(hash(b"a")==hash(b"a")))
except Exception as e:
    print('hash(b"a")==hash(b"a")', '->', type(e).__name__ + ':', e)
try:
    print('b"a" < "a"', '->', repr(b"a" < "a"))
except Exception as e:
    print('b"a" < "a"', '->', type(e).__name__ + ':', e)
try:
    print('b"a" == "a"', '->', repr(b"a" == "a"))
except Exception as e:
    print('b"a" == "a"', '->', type(e).__name__ + ':', e)
try:
    print('len(b"\\x00\\n")', '->', repr(len(b"\x00\n")))
except Exception as e:
    print('len(b"\\x00\\n")', '->', type(e).__name__ + ':', e)
try:
    print('"€".encode("latin-1")', '->', repr("€".encode("latin-1")))
except Exception as e:
    print('"€".encode("latin-1")', '->', type(e).__name__ + ':', e)
try:
    print('b"\\xe9".decode("latin-1")', '->', repr(b"\xe9".decode("latin-1")))
except Exception as e:
    print('b"\\xe9".decode("latin-1")', '->', type(e).__name__ + ':', e)
try:
    print('b"ab\\xffcd".decode("utf-8", "replace")', '->', repr(b"ab\xffcd".decode("utf-8", "replace")))
except Exception as e:
    print('b"ab\\xffcd".decode("utf-8", "replace")', '->', type(e).__name__ + ':', e)
try:
    print('b"ab\\xffcd".decode(errors="ignore")', '->', repr(b"ab\xffcd".decode(errors="ignore")))
except Exception as e:
    print('b"ab\\xffcd".decode(errors="ignore")', '->', type(e).__name__ + ':', e)
try:
    print('bytes("é", "utf-8")', '->', repr(bytes("é", "utf-8")))
except Exception as e:
    print('bytes("é", "utf-8")', '->', type(e).__name__ + ':', e)
try:
    print('bytes("é")', '->', repr(bytes("é")))
except Exception as e:
    print('bytes("é")', '->', type(e).__name__ + ':', e)
try:
    print('bytes(b"x", "utf-8")', '->', repr(bytes(b"x", "utf-8")))
except Exception as e:
    print('bytes(b"x", "utf-8")', '->', type(e).__name__ + ':', e)
try:
    print('str(b"a")', '->', repr(str(b"a")))
except Exception as e:
    print('str(b"a")', '->', type(e).__name__ + ':', e)
try:
    print('f"{b\'a\'}"', '->', repr(f"{b'a'}"))
except Exception as e:
    print('f"{b\'a\'}"', '->', type(e).__name__ + ':', e)
try:
    print('b"a\\x00".hex()', '->', repr(b"a\x00".hex()))
except Exception as e:
    print('b"a\\x00".hex()', '->', type(e).__name__ + ':', e)
try:
    print('b"abc".hex(":")', '->', repr(b"abc".hex(":")))
except Exception as e:
    print('b"abc".hex(":")', '->', type(e).__name__ + ':', e)
try:
    print('bytes.fromhex("00 ff")', '->', repr(bytes.fromhex("00 ff")))
except Exception as e:
    print('bytes.fromhex("00 ff")', '->', type(e).__name__ + ':', e)
try:
    print('list(b"ab")', '->', repr(list(b"ab")))
except Exception as e:
    print('list(b"ab")', '->', type(e).__name__ + ':', e)
try:
    print('b"abc"[::-1]', '->', repr(b"abc"[::-1]))
except Exception as e:
    print('b"abc"[::-1]', '->', type(e).__name__ + ':', e)
try:
    print('b"a".upper()', '->', repr(b"a".upper()))
except Exception as e:
    print('b"a".upper()', '->', type(e).__name__ + ':', e)
try:
    print('b"A b".lower()', '->', repr(b"A b".lower()))
except Exception as e:
    print('b"A b".lower()', '->', type(e).__name__ + ':', e)
try:
    print('b"a,b".split(b",")', '->', repr(b"a,b".split(b",")))
except Exception as e:
    print('b"a,b".split(b",")', '->', type(e).__name__ + ':', e)
try:
    print('b" x ".strip()', '->', repr(b" x ".strip()))
except Exception as e:
    print('b" x ".strip()', '->', type(e).__name__ + ':', e)
try:
    print('b"-".join([b"a", b"b"])', '->', repr(b"-".join([b"a", b"b"])))
except Exception as e:
    print('b"-".join([b"a", b"b"])', '->', type(e).__name__ + ':', e)
try:
    print('b"a".decode("UTF8")', '->', repr(b"a".decode("UTF8")))
except Exception as e:
    print('b"a".decode("UTF8")', '->', type(e).__name__ + ':', e)
try:
    print('b"\\u00e9"', '->', repr(b"\u00e9"))
except Exception as e:
    print('b"\\u00e9"', '->', type(e).__name__ + ':', e)
try:
    print('b"a" in b"abc"', '->', repr(b"a" in b"abc"))
except Exception as e:
    print('b"a" in b"abc"', '->', type(e).__name__ + ':', e)
try:
    print('97 in b"abc"', '->', repr(97 in b"abc"))
except Exception as e:
    print('97 in b"abc"', '->', type(e).__name__ + ':', e)
try:
    print('sorted([b"b", b"a"])', '->', repr(sorted([b"b", b"a"])))
except Exception as e:
    print('sorted([b"b", b"a"])', '->', type(e).__name__ + ':', e)
try:
    print('bytes(3)', '->', repr(bytes(3)))
except Exception as e:
    print('bytes(3)', '->', type(e).__name__ + ':', e)
try:
    print('bytes()', '->', repr(bytes()))
except Exception as e:
    print('bytes()', '->', type(e).__name__ + ':', e)
try:
    print('bytes([1,2])', '->', repr(bytes([1,2])))
except Exception as e:
    print('bytes([1,2])', '->', type(e).__name__ + ':', e)
try:
    print('b"a".encode()', '->', repr(b"a".encode()))
except Exception as e:
    print('b"a".encode()', '->', type(e).__name__ + ':', e)
try:
    print('"é".encode("ascii", "replace")', '->', repr("é".encode("ascii", "replace")))
except Exception as e:
    print('"é".encode("ascii", "replace")', '->', type(e).__name__ + ':', e)
try:
    print('"é".encode("ascii", "ignore")', '->', repr("é".encode("ascii", "ignore")))
except Exception as e:
    print('"é".encode("ascii", "ignore")', '->', type(e).__name__ + ':', e)
try:
    print('b"" or 1', '->', repr(b"" or 1))
except Exception as e:
    print('b"" or 1', '->', type(e).__name__ + ':', e)
try:
    print('b"\\x80".decode("utf-8", "replace")', '->', repr(b"\x80".decode("utf-8", "replace")))
except Exception as e:
    print('b"\\x80".decode("utf-8", "replace")', '->', type(e).__name__ + ':', e)
try:
    print('b"".join([1])', '->', repr(b"".join([1])))
except Exception as e:
    print('b"".join([1])', '->', type(e).__name__ + ':', e)
try:
    print('b"ab".find(b"b", 1)', '->', repr(b"ab".find(b"b", 1)))
except Exception as e:
    print('b"ab".find(b"b", 1)', '->', type(e).__name__ + ':', e)
try:
    print('b"a"[0]', '->', repr(b"a"[0]))
except Exception as e:
    print('b"a"[0]', '->', type(e).__name__ + ':', e)
try:
    print('repr(b"\'")', '->', repr(repr(b"'")))
except Exception as e:
    print('repr(b"\'")', '->', type(e).__name__ + ':', e)
try:
    print('repr(b"\'\\"")', '->', repr(repr(b"'\"")))
except Exception as e:
    print('repr(b"\'\\"")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".index(b"z")', '->', repr(b"a".index(b"z")))
except Exception as e:
    print('b"a".index(b"z")', '->', type(e).__name__ + ':', e)
try:
    print('b"a".decode(encoding="ascii")', '->', repr(b"a".decode(encoding="ascii")))
except Exception as e:
    print('b"a".decode(encoding="ascii")', '->', type(e).__name__ + ':', e)
try:
    print('"é".encode(encoding="utf-8")', '->', repr("é".encode(encoding="utf-8")))
except Exception as e:
    print('"é".encode(encoding="utf-8")', '->', type(e).__name__ + ':', e)
try:
    print('bytes(source="x", encoding="utf8")', '->', repr(bytes(source="x", encoding="utf8")))
except Exception as e:
    print('bytes(source="x", encoding="utf8")', '->', type(e).__name__ + ':', e)
