#include "aot/regions.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace xlat::aot {

void ControlFlow::edge(uint64_t from, uint64_t to) {
  succs[from].push_back(to);
  preds[to].push_back(from);
}

const std::vector<uint64_t> &ControlFlow::successors(uint64_t b) const {
  static const std::vector<uint64_t> none;
  auto it = succs.find(b);
  return it == succs.end() ? none : it->second;
}

size_t ControlFlow::dropNoReturnSites() {
  // Least fixpoint: a function returns if a leaf is reachable from its
  // entry through edges, a call's edge to its return site followed only
  // when the callee is known to return (or is not a function found).
  std::set<uint64_t> returns;
  for (bool grew = true; grew;) {
    grew = false;
    for (uint64_t f : functions) {
      if (returns.count(f))
        continue;
      std::vector<uint64_t> work{f};
      std::set<uint64_t> seen{f};
      bool found = false;
      while (!work.empty() && !found) {
        uint64_t b = work.back();
        work.pop_back();
        if (leaves.count(b)) {
          found = true;
          break;
        }
        if (auto c = callees.find(b);
            c != callees.end() && functions.count(c->second) && !returns.count(c->second))
          continue;
        for (uint64_t next : successors(b))
          if (seen.insert(next).second)
            work.push_back(next);
      }
      if (found) {
        returns.insert(f);
        grew = true;
      }
    }
  }
  size_t dropped = 0;
  for (auto &[call, callee] : callees) {
    if (!functions.count(callee) || returns.count(callee))
      continue;
    auto it = succs.find(call);
    if (it == succs.end())
      continue;
    for (uint64_t site : it->second) {
      auto &ps = preds[site];
      ps.erase(std::remove(ps.begin(), ps.end(), call), ps.end());
      dropped += returnSites.erase(site);
    }
    succs.erase(it);
  }
  return dropped;
}

// The strongly connected components of the subgraph on `nodes` that hold a
// cycle: Tarjan's algorithm, iterative (a function can be long).
std::vector<std::vector<uint64_t>>
ControlFlow::cycles(const std::set<uint64_t> &nodes) const {
  std::map<uint64_t, std::pair<uint32_t, uint32_t>> num; // index, lowlink
  std::vector<uint64_t> stack;
  std::set<uint64_t> onStack;
  std::vector<std::vector<uint64_t>> out;
  uint32_t next = 0;
  auto visit = [&](uint64_t b) {
    num[b] = {next, next};
    next++;
    stack.push_back(b);
    onStack.insert(b);
  };
  for (uint64_t root : nodes) {
    if (num.count(root))
      continue;
    std::vector<std::pair<uint64_t, size_t>> frames{{root, 0}};
    visit(root);
    while (!frames.empty()) {
      auto &[b, i] = frames.back();
      const std::vector<uint64_t> &ss = successors(b);
      if (i < ss.size()) {
        uint64_t s = ss[i++];
        if (!nodes.count(s))
          continue;
        if (!num.count(s)) {
          visit(s);
          frames.push_back({s, 0}); // (b and i are not used again)
        } else if (onStack.count(s)) {
          num[b].second = std::min(num[b].second, num[s].first);
        }
        continue;
      }
      uint64_t done = b;
      frames.pop_back();
      if (!frames.empty()) {
        uint32_t &up = num[frames.back().first].second;
        up = std::min(up, num[done].second);
      }
      if (num[done].second != num[done].first)
        continue;
      std::vector<uint64_t> scc;
      uint64_t x;
      do {
        x = stack.back();
        stack.pop_back();
        onStack.erase(x);
        scc.push_back(x);
      } while (x != done);
      const std::vector<uint64_t> &ds = successors(done);
      if (scc.size() > 1 || std::count(ds.begin(), ds.end(), done))
        out.push_back(std::move(scc));
    }
  }
  return out;
}

void ControlFlow::findLoops(const std::set<uint64_t> &blocks) {
  for (std::vector<uint64_t> &scc : cycles(blocks)) {
    std::set<uint64_t> body(scc.begin(), scc.end());
    std::set<uint64_t> heads;
    for (uint64_t b : scc) {
      bool entered = enteredFromElsewhere(b);
      if (auto it = preds.find(b); it != preds.end())
        for (uint64_t p : it->second)
          entered |= !body.count(p);
      if (entered)
        heads.insert(b);
    }
    if (heads.empty())
      heads.insert(*body.begin()); // entered by no edge found
    for (uint64_t h : heads)
      loops[h] = body;
    std::set<uint64_t> inner;
    std::set_difference(body.begin(), body.end(), heads.begin(), heads.end(),
                        std::inserter(inner, inner.end()));
    findLoops(inner);
  }
}

bool ControlFlow::enteredFromElsewhere(uint64_t b) const {
  return functions.count(b) || returnSites.count(b) || indirectTargets.count(b);
}

std::set<uint64_t> ControlFlow::heads() const {
  std::set<uint64_t> all(functions);
  all.insert(returnSites.begin(), returnSites.end());
  all.insert(indirectTargets.begin(), indirectTargets.end());
  return all;
}

std::vector<uint64_t> ControlFlow::whole(uint64_t entry, const std::set<uint64_t> *within,
                                         const std::set<uint64_t> &seen, size_t room) const {
  std::vector<uint64_t> out{entry}, leaves;
  std::set<uint64_t> taken{entry}, returnSitesTaken;
  auto full = [&] { return out.size() + leaves.size() > room; };
  for (size_t i = 0; i < out.size() && !full(); i++) {
    uint64_t b = out[i];
    // Entered from elsewhere: that region holds it.
    if (b != entry && !returnSitesTaken.count(b) && enteredFromElsewhere(b))
      return {};
    if (auto call = callees.find(b); call != callees.end()) {
      // A leaf calls nothing. A loop's call of a leaf takes the leaf
      // along, and its return site then belongs to the loop.
      if (!within)
        return {};
      if (!seen.count(call->second) && !taken.count(call->second)) {
        std::vector<uint64_t> leaf =
            whole(call->second, nullptr, seen, room - out.size() - leaves.size());
        if (leaf.empty())
          return {};
        for (uint64_t l : leaf)
          if (taken.insert(l).second)
            leaves.push_back(l);
      }
      const std::vector<uint64_t> &site = successors(b);
      returnSitesTaken.insert(site.begin(), site.end());
    }
    for (uint64_t next : successors(b))
      if ((!within || within->count(next)) && !seen.count(next) &&
          taken.insert(next).second)
        out.push_back(next);
  }
  if (full())
    return {};
  out.insert(out.end(), leaves.begin(), leaves.end());
  return out;
}

std::vector<uint64_t> ControlFlow::region(uint64_t entry, size_t limit,
                                          const std::set<uint64_t> &heads) const {
  std::vector<uint64_t> pcs{entry};
  std::set<uint64_t> seen{entry};
  for (size_t i = 0; i < pcs.size() && pcs.size() < limit; i++) {
    auto call = callees.find(pcs[i]);
    bool calleeIn = call != callees.end() && seen.count(call->second);
    if (call != callees.end() && !calleeIn && !successors(pcs[i]).empty() &&
        pcs.size() + 1 < limit) {
      // A leaf callee, taken whole with the return site: the call and
      // the return become branches.
      std::vector<uint64_t> leaf = whole(call->second, nullptr, seen, limit - pcs.size() - 1);
      for (uint64_t b : leaf) {
        seen.insert(b);
        pcs.push_back(b);
      }
      calleeIn = !leaf.empty();
    }
    for (uint64_t next : successors(pcs[i])) {
      if (pcs.size() >= limit || seen.count(next))
        continue;
      auto loop = loops.find(next);
      if (loop != loops.end() && !loop->second.count(entry)) {
        // Another loop: all of it or none. (A loop the entry is in, it
        // goes round as any other blocks.)
        std::vector<uint64_t> body = whole(next, &loop->second, seen, limit - pcs.size());
        for (uint64_t b : body) {
          seen.insert(b);
          pcs.push_back(b);
        }
        continue;
      }
      if (!heads.count(next) || calleeIn) {
        seen.insert(next);
        pcs.push_back(next);
      }
    }
  }
  return pcs;
}

std::vector<uint64_t> ControlFlow::closeUnderExits(std::vector<uint64_t> entries,
                                                   size_t limit,
                                                   std::set<uint64_t> &heads) const {
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < entries.size(); i++) {
      std::vector<uint64_t> pcs = region(entries[i], limit, heads);
      std::set<uint64_t> in(pcs.begin(), pcs.end());
      for (uint64_t b : pcs)
        for (uint64_t next : successors(b))
          if (!in.count(next) && heads.insert(next).second) {
            entries.push_back(next);
            grew = true;
          }
    }
  }
  return entries;
}

} // namespace xlat::aot
