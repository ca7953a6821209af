break in_smode
continue
info registers priv
print/x $satp
x/gx 0x40000000
print arg
watch counter
continue
delete
print/x $mstatus & 0x1800
continue
