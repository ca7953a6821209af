// xlat-aot's regions (aot/regions.h): loops found as a nesting forest,
// taken whole into the regions that reach them or made regions of their
// own, and regions that stop at the heads of others.
#include "aot/regions.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using xlat::aot::ControlFlow;
using Pcs = std::vector<uint64_t>;

ControlFlow graph(std::initializer_list<std::pair<uint64_t, uint64_t>> edges) {
  ControlFlow cf;
  for (auto [from, to] : edges)
    cf.edge(from, to);
  return cf;
}

std::set<uint64_t> loopHeads(const ControlFlow &cf) {
  std::set<uint64_t> heads;
  for (auto &[head, body] : cf.loops)
    heads.insert(head);
  return heads;
}

// Every way out of every region lands on a head.
void expectClosed(const ControlFlow &cf, const Pcs &entries, size_t limit,
                  const std::set<uint64_t> &heads) {
  for (uint64_t e : entries) {
    Pcs pcs = cf.region(e, limit, heads);
    for (uint64_t b : pcs)
      for (uint64_t next : cf.succs.count(b) ? cf.succs.at(b) : Pcs{})
        EXPECT_TRUE(heads.count(next) || std::count(pcs.begin(), pcs.end(), next))
            << std::hex << b << " -> " << next;
  }
}

std::set<uint64_t> blocksOf(const ControlFlow &cf) {
  std::set<uint64_t> all;
  for (auto &[from, tos] : cf.succs) {
    all.insert(from);
    all.insert(tos.begin(), tos.end());
  }
  return all;
}

// A sieve as GCC lays it out: the outer loop is entered at A, but its
// backward branches go to B (placed before A) and A; the inner loop I is
// a block of its own, left to L.
//   F: j A       B: i++; if i > n goto X       A: if composite[i] goto B
//   C: if i*i > n goto B                       I: composite[j] = 1; loop
//   L: if i <= n goto A; fall to X
constexpr uint64_t F = 0x10, B = 0x1c, A = 0x22, C = 0x2c, I = 0x36, L = 0x44,
                   X = 0x4a;

ControlFlow sieve() {
  ControlFlow cf = graph({{F, A}, {B, X}, {B, A}, {A, B}, {A, C}, {C, B},
                          {C, I}, {I, I}, {I, L}, {L, A}, {L, X}});
  cf.functions.insert(F);
  cf.findLoops(blocksOf(cf));
  return cf;
}

TEST(AotRegions, RotatedLoopHasOneHeadAndNestedLoopItsOwn) {
  ControlFlow cf = sieve();
  // B is the target of a backward branch, but the loop is entered at A.
  EXPECT_EQ(loopHeads(cf), (std::set<uint64_t>{A, I}));
  EXPECT_EQ(cf.loops.at(A), (std::set<uint64_t>{A, B, C, I, L}));
  EXPECT_EQ(cf.loops.at(I), (std::set<uint64_t>{I}));
}

TEST(AotRegions, LoopsAreTakenWhole) {
  ControlFlow cf = sieve();
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(heads, (std::set<uint64_t>{F}));
  // Both loops, nested, in the function's region: entering them and
  // leaving them is no region exit.
  EXPECT_EQ(cf.region(F, 16, heads), (Pcs{F, A, B, C, I, L, X}));
  EXPECT_EQ(cf.closeUnderExits({F}, 16, heads), (Pcs{F}));
}

TEST(AotRegions, LoopsThatDoNotFitAreRegionsOfTheirOwn) {
  ControlFlow cf = sieve();
  std::set<uint64_t> heads = cf.heads();
  // The outer loop's five blocks do not fit in four: the function's region
  // stops at its head, which heads a region of its own; that one is full
  // before it reaches the inner loop, which then heads one too.
  Pcs entries = cf.closeUnderExits({F}, 4, heads);
  EXPECT_EQ(entries, (Pcs{F, A, I}));
  EXPECT_EQ(cf.region(F, 4, heads), (Pcs{F}));
  EXPECT_EQ(cf.region(A, 4, heads), (Pcs{A, B, C, X}));
  EXPECT_EQ(cf.region(I, 4, heads), (Pcs{I, L, X}));
  expectClosed(cf, entries, 4, heads);
  // With room, the outer loop's region takes the inner one.
  EXPECT_EQ(cf.region(A, 5, heads), (Pcs{A, B, C, X, I}));
}

TEST(AotRegions, CallsEndRegionsAndReturnSitesHeadTheirOwn) {
  // F calls out at K; the loop goes round through the return site R.
  constexpr uint64_t F = 0x100, K = 0x104, R = 0x108, Y = 0x110;
  ControlFlow cf = graph({{F, K}, {K, R}, {R, K}, {R, Y}});
  cf.functions.insert(F);
  cf.returnSites.insert(R);
  cf.findLoops(blocksOf(cf));
  EXPECT_EQ(loopHeads(cf), (std::set<uint64_t>{K, R}));
  // The loop holds a return site, so no region holds it whole: K, where
  // F's region stops, heads one of its own.
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(cf.closeUnderExits({F, R}, 16, heads), (Pcs{F, R, K}));
  EXPECT_EQ(cf.region(F, 16, heads), (Pcs{F}));
  EXPECT_EQ(cf.region(K, 16, heads), (Pcs{K}));
  EXPECT_EQ(cf.region(R, 16, heads), (Pcs{R, Y}));
}

TEST(AotRegions, RecursiveCallKeepsItsReturnSite) {
  // fib: F tests the base case (Z) or calls itself at K, whose return site
  // R calls G (a function that calls H) at M, which returns to S. F's
  // region holds R, where its own recursive call returns, but not S.
  constexpr uint64_t F = 0x700, K = 0x708, Z = 0x710, R = 0x718, S = 0x720, G = 0x800,
                     GR = 0x804, H = 0x900;
  ControlFlow cf = graph({{F, K}, {F, Z}, {K, R}, {R, S}, {G, GR}});
  cf.functions = {F, G, H};
  cf.returnSites = {R, S, GR};
  cf.callees = {{K, F}, {R, G}, {G, H}};
  cf.findLoops(blocksOf(cf));
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(cf.region(F, 16, heads), (Pcs{F, K, Z, R}));
  EXPECT_EQ(cf.region(R, 16, heads), (Pcs{R}));
}

TEST(AotRegions, LeafCalleesAreTakenWhole) {
  // F calls L (a leaf with a loop) at K and returns; L's blocks and the
  // return site join F's region, so its return is a branch to R. G's call
  // of F at M does not take F: F makes a call.
  constexpr uint64_t F = 0x100, K = 0x104, R = 0x108, L = 0x200, L2 = 0x204,
                     L3 = 0x208, G = 0x300, M = 0x304, MR = 0x308;
  ControlFlow cf = graph({{F, K}, {K, R}, {L, L2}, {L2, L2}, {L2, L3}, {G, M}, {M, MR}});
  cf.functions = {F, L, G};
  cf.returnSites = {R, MR};
  cf.callees = {{K, L}, {M, F}};
  cf.leaves = {R, L3, MR};
  cf.findLoops(blocksOf(cf));
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(cf.region(F, 16, heads), (Pcs{F, K, L, L2, L3, R}));
  EXPECT_EQ(cf.region(G, 16, heads), (Pcs{G, M}));
  // Without room for all of L and the return site, the call leaves.
  EXPECT_EQ(cf.region(F, 5, heads), (Pcs{F, K}));
  EXPECT_EQ(cf.closeUnderExits({F, G, R, MR}, 16, heads), (Pcs{F, G, R, MR}));
}

TEST(AotRegions, LoopsTakeTheLeavesTheyCall) {
  // A loop that calls the leaf L at A and goes round from the return site
  // R: F's region holds the loop, the leaf and the way out, X. A loop that
  // calls G, which is no leaf, is left to a region of its own.
  constexpr uint64_t F = 0x100, A = 0x104, R = 0x108, X = 0x10c, L = 0x200,
                     L2 = 0x204, G = 0x300, GA = 0x304, GR = 0x308;
  ControlFlow cf = graph({{F, A}, {A, R}, {R, A}, {R, X}, {L, L2}, {G, GA}, {GA, GR},
                          {GR, GA}});
  cf.functions = {F, L, G};
  cf.returnSites = {R, GR};
  cf.callees = {{A, L}, {GA, F}};
  cf.findLoops(blocksOf(cf));
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(cf.region(F, 16, heads), (Pcs{F, A, R, L, L2, X}));
  EXPECT_EQ(cf.region(F, 4, heads), (Pcs{F}));
  EXPECT_EQ(cf.region(G, 16, heads), (Pcs{G}));
}

TEST(AotRegions, NoReturnSiteAfterACallThatCannotReturn) {
  // F calls A (which returns) at K1, then at K2 calls W, a wrapper that
  // calls N, which only spins; then at K3 calls X, which returns only by
  // calling A first. The bytes after the call to W are no return site; W
  // is found not to return because N does not.
  constexpr uint64_t F = 0x100, K1 = 0x104, R1 = 0x108, K2 = 0x10c, R2 = 0x110,
                     K3 = 0x114, R3 = 0x118, A = 0x200, W = 0x300, WK = 0x304,
                     WR = 0x308, N = 0x400, X = 0x500, XK = 0x504, XR = 0x508;
  ControlFlow cf = graph({{F, K1}, {K1, R1}, {R1, K2}, {K2, R2}, {R1, K3}, {K3, R3},
                          {W, WK}, {WK, WR}, {N, N}, {X, XK}, {XK, XR}});
  for (uint64_t f : {F, A, W, N, X})
    cf.functions.insert(f);
  cf.returnSites = {R1, R2, R3, WR, XR};
  cf.callees = {{K1, A}, {K2, W}, {K3, X}, {WK, N}, {XK, A}};
  cf.leaves = {A, R3, WR, XR};
  EXPECT_EQ(cf.dropNoReturnSites(), 2u);
  EXPECT_EQ(cf.returnSites, (std::set<uint64_t>{R1, R3, XR}));
  EXPECT_TRUE(cf.succs[K2].empty());
  EXPECT_TRUE(cf.preds[R2].empty());
  EXPECT_EQ(cf.succs[K3], (Pcs{R3}));
}

TEST(AotRegions, CutRegionsLeaveOnlyToHeads) {
  // A straight run of 7 blocks with a side exit at b2 that joins at b5,
  // cut at 3 blocks: each cut starts a region that the regions before it
  // stop at, so no way out of any region lands where no region starts.
  constexpr uint64_t b0 = 0x500, b1 = 0x504, b2 = 0x508, b3 = 0x50c, b4 = 0x510,
                     b5 = 0x514, b6 = 0x518, s = 0x600;
  ControlFlow cf = graph({{b0, b1}, {b1, b2}, {b2, b3}, {b2, s}, {b3, b4},
                          {b4, b5}, {s, b5}, {b5, b6}});
  cf.functions.insert(b0);
  cf.findLoops(blocksOf(cf));
  std::set<uint64_t> heads = cf.heads();
  Pcs entries = cf.closeUnderExits({b0}, 3, heads);
  EXPECT_EQ(entries, (Pcs{b0, b3, s, b6}));
  EXPECT_EQ(cf.region(b0, 3, heads), (Pcs{b0, b1, b2}));
  EXPECT_EQ(cf.region(b3, 3, heads), (Pcs{b3, b4, b5}));
  EXPECT_EQ(cf.region(s, 3, heads), (Pcs{s, b5}));
  expectClosed(cf, entries, 3, heads);
}

TEST(AotRegions, IrreducibleLoopHeadsAreEveryEntry) {
  // Two ways into one cycle P <-> Q: both are heads, of one loop, which
  // E's region holds whole. (A hash-chain walk whose test is shared by
  // the first probe and the next: E's block runs on into the test, so the
  // walk is entered at both of the test's successors.)
  constexpr uint64_t E = 0x300, P = 0x310, Q = 0x320, R = 0x330;
  ControlFlow cf = graph({{E, P}, {E, Q}, {P, Q}, {Q, P}, {Q, R}});
  cf.functions.insert(E);
  cf.findLoops(blocksOf(cf));
  EXPECT_EQ(loopHeads(cf), (std::set<uint64_t>{P, Q}));
  std::set<uint64_t> heads = cf.heads();
  EXPECT_EQ(cf.region(E, 16, heads), (Pcs{E, P, Q, R}));
  EXPECT_EQ(cf.closeUnderExits({E}, 16, heads), (Pcs{E}));
  // Cut short, each head starts a region.
  Pcs entries = cf.closeUnderExits({E}, 2, heads);
  EXPECT_EQ(entries, (Pcs{E, P, Q}));
  EXPECT_EQ(cf.region(Q, 2, heads), (Pcs{Q, R}));
  expectClosed(cf, entries, 2, heads);
}

TEST(AotRegions, LongChainsNeedNoRecursion) {
  // A straight function of 200000 blocks ending in a loop back to its
  // start: one component, found without a deep call stack.
  ControlFlow cf;
  for (uint64_t b = 0; b < 200000; b++)
    cf.edge(0x1000 + 4 * b, 0x1000 + 4 * (b + 1));
  cf.edge(0x1000 + 4 * 200000, 0x1000);
  cf.functions.insert(0x1000);
  cf.findLoops(blocksOf(cf));
  EXPECT_EQ(loopHeads(cf), (std::set<uint64_t>{0x1000}));
}

} // namespace
