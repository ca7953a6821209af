// iostreams: formatting flags and manipulators, string streams, getline,
// and the interplay of cout with printf-free output.
//
// RUN: %rv-cxx -O0 %s -o %t.O0
// RUN: %rv-cxx -O2 %s -o %t.O2
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gxx -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

int main() {
  std::cout << "Hello from iostream" << std::endl;
  std::cout << 42 << ' ' << -7L << ' ' << 3.5 << ' ' << true << ' '
            << std::boolalpha << false << '\n';
  std::cout << std::hex << 255 << ' ' << std::showbase << 255 << ' '
            << std::oct << 8 << std::dec << std::noshowbase << ' ' << 10 << '\n';
  std::cout << std::setw(8) << std::setfill('*') << 123 << '|' << std::left
            << std::setw(6) << "ab" << '|' << std::right << std::setfill(' ')
            << '\n';
  std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' '
            << std::scientific << 0.000123456 << ' ' << std::defaultfloat
            << std::setprecision(6) << 1.0 / 3 << '\n';

  std::istringstream in("10 20 thirty 40.5\nsecond line here\n");
  int a, b;
  std::string word;
  double d;
  in >> a >> b >> word >> d;
  std::cout << "parsed " << a + b << ' ' << word << ' ' << d << '\n';
  std::string line;
  std::getline(in, line); // the rest of the first line
  std::getline(in, line);
  std::cout << "line=[" << line << "]\n";
  int bad;
  std::istringstream("notanumber") >> bad;
  std::istringstream failing("x");
  failing >> bad;
  std::cout << "fail=" << failing.fail() << '\n';

  std::ostringstream out;
  for (int i = 0; i < 5; ++i)
    out << i * i << (i < 4 ? "," : "");
  std::cout << "joined=" << out.str() << " size=" << out.str().size() << '\n';
  std::cout << std::flush;
  return 0;
}

// CHECK:      Hello from iostream
// CHECK-NEXT: 42 -7 3.5 1 false
// CHECK-NEXT: ff 0xff 010 10
// CHECK-NEXT: *****123|ab****|
// CHECK-NEXT: 3.142 1.235e-04 0.333333
// CHECK-NEXT: parsed 30 thirty 40.5
// CHECK-NEXT: line=[second line here]
// CHECK-NEXT: fail=true
// CHECK-NEXT: joined=0,1,4,9,16 size=10
