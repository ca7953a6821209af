break square
continue
print x
next
print y
finish
watch counter
continue
delete
stepi
x/2i $pc
info registers fpcr
print $v0.d[0]
info registers cpsr
set var counter = 7
print counter
continue
