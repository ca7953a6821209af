// Asynchronous signals reach a guest that spins in a tight loop of
// translated code (setitimer and a POSIX timer), and SA_RESTART decides
// whether a blocking read interrupted by a handler is restarted or fails
// with EINTR.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired;
static int pipefd[2];

static void on_alarm(int sig) { fired = sig; }
static void on_alarm_write(int sig) {
  fired = sig;
  write(pipefd[1], "x", 1);
}

int main(void) {
  signal(SIGALRM, on_alarm);
  struct itimerval it = {.it_value = {0, 20000}};
  // For the read tests the signal must come while read() blocks: leave
  // time for translating the code on the way there, even under load.
  struct itimerval late = {.it_value = {0, 500000}};
  setitimer(ITIMER_REAL, &it, NULL);
  volatile unsigned long spins = 0;
  while (!fired)
    spins++;
  printf("itimer stopped the loop: %d\n", fired == SIGALRM);
  // CHECK: itimer stopped the loop: 1

  fired = 0;
  timer_t timer;
  struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
  signal(SIGUSR1, on_alarm);
  timer_create(CLOCK_MONOTONIC, &ev, &timer);
  struct itimerspec ts = {.it_value = {0, 20000000}};
  timer_settime(timer, 0, &ts, NULL);
  while (!fired)
    spins++;
  printf("posix timer: %d\n", fired == SIGUSR1);
  // CHECK-NEXT: posix timer: 1
  timer_delete(timer);

  // Without SA_RESTART: read fails with EINTR.
  pipe(pipefd);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  setitimer(ITIMER_REAL, &late, NULL);
  char c;
  ssize_t n = read(pipefd[0], &c, 1);
  printf("no restart: n=%zd eintr=%d\n", n, n < 0 && errno == EINTR);
  // CHECK-NEXT: no restart: n=-1 eintr=1

  // With SA_RESTART: the read goes on and gets the byte the handler wrote.
  sa.sa_handler = on_alarm_write;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  setitimer(ITIMER_REAL, &late, NULL);
  n = read(pipefd[0], &c, 1);
  printf("restart: n=%zd c=%c\n", n, c);
  // CHECK-NEXT: restart: n=1 c=x
  return 0;
}
