// Sockets on loopback, server and client in one program (fork): TCP with
// bind/listen/accept4/connect/getsockname/getpeername, UDP with
// sendto/recvfrom, UNIX socketpair with sendmsg/recvmsg passing an fd
// (SCM_RIGHTS), sendmmsg/recvmmsg, setsockopt/getsockopt, shutdown.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void tcp(void) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1, v = 0;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t vl = sizeof v;
  getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl);
  // CHECK: tcp: SO_TYPE stream 1 len 4
  printf("tcp: SO_TYPE stream %d len %u\n", v == SOCK_STREAM, vl);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(s, (struct sockaddr *)&a, sizeof a);
  listen(s, 4);
  socklen_t al = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &al);
  // CHECK-NEXT: tcp: bound port>0 1
  printf("tcp: bound port>0 %d\n", ntohs(a.sin_port) > 0);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    int cs = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(cs, (struct sockaddr *)&a, sizeof a) < 0)
      _exit(1);
    send(cs, "ping", 4, 0);
    char buf[8] = {0};
    recv(cs, buf, sizeof buf - 1, MSG_WAITALL);
    _exit(strcmp(buf, "pong") ? 2 : 0);
  }
  struct sockaddr_in peer;
  socklen_t pl = sizeof peer;
  int conn = accept4(s, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
  char buf[8] = {0};
  recv(conn, buf, 4, MSG_WAITALL);
  struct sockaddr_in p2;
  socklen_t p2l = sizeof p2;
  getpeername(conn, (struct sockaddr *)&p2, &p2l);
  // CHECK-NEXT: tcp: got ping, peer loopback 1 same port 1
  printf("tcp: got %s, peer loopback %d same port %d\n", buf,
         peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
         p2.sin_port == peer.sin_port);
  send(conn, "pong", 4, 0);
  shutdown(conn, SHUT_WR);
  int st;
  waitpid(c, &st, 0);
  // CHECK-NEXT: tcp: client status 0
  printf("tcp: client status %d\n", WEXITSTATUS(st));
  close(conn);
  close(s);
}

static void udp(void) {
  int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(r, (struct sockaddr *)&a, sizeof a);
  socklen_t al = sizeof a;
  getsockname(r, (struct sockaddr *)&a, &al);
  sendto(w, "datagram", 8, 0, (struct sockaddr *)&a, sizeof a);
  char buf[16] = {0};
  struct sockaddr_in from;
  socklen_t fl = sizeof from;
  ssize_t n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  // CHECK-NEXT: udp: 8 datagram from loopback 1 len 16
  printf("udp: %zd %s from loopback %d len %u\n", n, buf,
         from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), fl);

  // Two datagrams in one call each way.
  struct iovec iov[2] = {{"one", 3}, {"two!", 4}};
  struct mmsghdr out[2];
  memset(out, 0, sizeof out);
  for (int i = 0; i < 2; ++i) {
    out[i].msg_hdr.msg_name = &a;
    out[i].msg_hdr.msg_namelen = sizeof a;
    out[i].msg_hdr.msg_iov = &iov[i];
    out[i].msg_hdr.msg_iovlen = 1;
  }
  int sent = sendmmsg(w, out, 2, 0);
  char b0[8] = {0}, b1[8] = {0};
  struct iovec in_iov[2] = {{b0, 7}, {b1, 7}};
  struct mmsghdr in[2];
  memset(in, 0, sizeof in);
  for (int i = 0; i < 2; ++i) {
    in[i].msg_hdr.msg_iov = &in_iov[i];
    in[i].msg_hdr.msg_iovlen = 1;
  }
  int got = recvmmsg(r, in, 2, MSG_WAITFORONE, NULL);
  if (got == 1)
    got += recvmmsg(r, in + 1, 1, 0, NULL);
  // CHECK-NEXT: mmsg: sent 2 got 2: one(3) two!(4)
  printf("mmsg: sent %d got %d: %s(%u) %s(%u)\n", sent, got, b0, in[0].msg_len,
         b1, in[1].msg_len);
  close(r);
  close(w);
}

static void unixFdPassing(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  int p[2];
  pipe(p);
  write(p[1], "through the fd", 14);
  close(p[1]);
  // Send the pipe's read end with two bytes of data.
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } ctl;
  memset(&ctl, 0, sizeof ctl);
  struct iovec iov = {"hi", 2};
  struct msghdr m = {.msg_iov = &iov,
                     .msg_iovlen = 1,
                     .msg_control = ctl.buf,
                     .msg_controllen = sizeof ctl.buf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
  ssize_t sent = sendmsg(sv[0], &m, 0);
  close(p[0]);

  char data[8] = {0};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } rctl;
  struct iovec riov = {data, sizeof data};
  struct msghdr r = {.msg_iov = &riov,
                     .msg_iovlen = 1,
                     .msg_control = rctl.buf,
                     .msg_controllen = sizeof rctl.buf};
  ssize_t got = recvmsg(sv[1], &r, 0);
  struct cmsghdr *rc = CMSG_FIRSTHDR(&r);
  int fd = -1;
  if (rc && rc->cmsg_type == SCM_RIGHTS)
    memcpy(&fd, CMSG_DATA(rc), sizeof fd);
  char text[32] = {0};
  read(fd, text, sizeof text - 1);
  // CHECK-NEXT: unix: sent 2 got 2 hi, controllen 24 flags 0: through the fd
  printf("unix: sent %zd got %zd %s, controllen %zu flags %d: %s\n", sent, got,
         data, (size_t)r.msg_controllen, r.msg_flags, text);
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  getsockname(sv[0], (struct sockaddr *)&ss, &sl);
  // CHECK-NEXT: unix: family 1
  printf("unix: family %d\n", ss.ss_family);
}

int main(void) {
  tcp();
  udp();
  unixFdPassing();
  return 0;
}
