break worker
continue
info threads
print id
print arg
continue
continue
