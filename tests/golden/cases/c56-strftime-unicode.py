# strftime() with directives glibc leaves as written, and non-ASCII text in triple-quoted strings
d = datetime(2024, 1, 15, 9, 5, 7, 123456)
d.strftime("%")
d.strftime("100%")
d.strftime("%Q %i %% %f")
d.strftime("%-d/%-m %Ey %z%Z.")
date(2024, 1, 15).strftime("%Y %H %f %é")
s = """café
naïve œuvre"""
print(s)
'''ünïcode''' + "—"
len("""日本語""")
