// System V IPC (shmget/shmat/shmdt/shmctl, semget/semop/semtimedop/semctl,
// msgget/msgsnd/msgrcv/msgctl) and POSIX message queues, compared with
// qemu-riscv64. Attached segments must live in the guest address space:
// they show up in /proc/self/maps, fault after shmdt, and are shared with
// a forked child. semid_ds is the one struct laid out differently on
// x86-64. qemu 7.2 has no mq_notify, and attaches a segment for shmat with
// SHM_REMAP and no address where Linux refuses: the "kernel" part is
// checked with FileCheck alone.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: FileCheck %s < %t.ref
// RUN: for t in %{tiers}; do \
// RUN:   %xlat-run --tier=$t %t | diff %t.ref - || exit 1; \
// RUN:   %xlat-run --tier=$t %t kernel | FileCheck %s --check-prefix=KERNEL || exit 1; \
// RUN: done

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf jump;
static void onSegv(int sig) { siglongjmp(jump, 1); }

static int faults(volatile char *p, int write) {
  if (sigsetjmp(jump, 1))
    return 1;
  if (write)
    *p = 1;
  else
    (void)*p;
  return 0;
}

// Is [p, p + len) one line of /proc/self/maps named /SYSV...? Returns its
// access bits ("rw-", "r--") or "none".
static const char *mapsLine(void *p, size_t len, char *perms) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  strcpy(perms, "none");
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char pm[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, pm) != 3)
      continue;
    if (lo == (unsigned long)p && hi == (unsigned long)p + len &&
        strstr(line, "/SYSV00000000 (deleted)")) {
      memcpy(perms, pm, 3);
      perms[3] = 0;
    }
  }
  fclose(f);
  return perms;
}

static long nattch(int id) {
  struct shmid_ds ds;
  return shmctl(id, IPC_STAT, &ds) == 0 ? (long)ds.shm_nattch : -errno;
}

static void sharedMemory(void) {
  const size_t size = 3 * 4096 + 100, len = 4 * 4096;
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
  struct shmid_ds ds;
  printf("shmget: %d\n", id >= 0);
  printf("stat: %d segsz=%zu mode=%o nattch=%lu cpid=%d\n",
         shmctl(id, IPC_STAT, &ds), ds.shm_segsz, ds.shm_perm.mode & 0777,
         ds.shm_nattch, ds.shm_cpid == getpid());

  char *p = shmat(id, NULL, 0);
  char perms[8];
  printf("shmat: %d aligned=%d nattch=%ld maps=%s\n", p != (void *)-1,
         ((uintptr_t)p & 4095) == 0, nattch(id), mapsLine(p, len, perms));
  printf("zeroed: %d\n", p[0] == 0 && p[size - 1] == 0);
  strcpy(p, "shared");
  p[size - 1] = 'z';

  char *q = shmat(id, NULL, SHM_RDONLY);
  printf("second attach: %d distinct=%d sees=%s,%c nattch=%ld maps=%s\n",
         q != (void *)-1, q != p, q, q[size - 1], nattch(id),
         mapsLine(q, len, perms));
  printf("write read-only: faults=%d\n", faults(q, 1));

  // A fixed address, rounded with SHM_RND; replacing needs SHM_REMAP.
  char *area = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(area, 8 * 4096);
  errno = 0;
  printf("unaligned: %ld errno=%d\n", (long)shmat(id, area + 8, 0), errno);
  char *r = shmat(id, area + 8, SHM_RND);
  printf("SHM_RND: %d sees=%s\n", r == area, r);
  errno = 0;
  printf("over a mapping: %ld errno=%d\n", (long)shmat(id, area, 0), errno);
  char *anon = mmap(area + 4 * 4096, 4096, PROT_READ | PROT_WRITE,
                    MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  anon[0] = 'a';
  char *s = shmat(id, area + 4 * 4096, SHM_REMAP);
  printf("SHM_REMAP: %d sees=%s nattch=%ld\n", s == area + 4 * 4096, s,
         nattch(id));

  // shmdt: only at the start of an attachment; afterwards the pages fault.
  errno = 0;
  printf("shmdt inside: %d errno=%d\n", shmdt(p + 4096), errno);
  printf("shmdt: %d nattch=%ld maps=%s faults=%d\n", shmdt(p), nattch(id),
         mapsLine(p, len, perms), faults(p, 0));
  errno = 0;
  printf("shmdt again: %d errno=%d\n", shmdt(p), errno);
  // munmap detaches too.
  printf("munmap: %d nattch=%ld\n", munmap(r, len), nattch(id));
  errno = 0;
  printf("shmdt after munmap: %d errno=%d\n", shmdt(r), errno);

  // A forked child shares the segment.
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    strcpy(s, "from child");
    shmdt(s);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  printf("child wrote: %s nattch=%ld\n", q, nattch(id));

  struct shminfo info;
  printf("IPC_INFO: %d shmmni>0=%d\n", shmctl(id, IPC_INFO, (void *)&info) >= 0,
         info.shmmni > 0);
  ds.shm_perm.mode = 0640;
  printf("IPC_SET: %d mode=%o\n", shmctl(id, IPC_SET, &ds),
         (shmctl(id, IPC_STAT, &ds), ds.shm_perm.mode & 0777));
  printf("IPC_RMID: %d dest=%d\n", shmctl(id, IPC_RMID, NULL),
         (shmctl(id, IPC_STAT, &ds), !!(ds.shm_perm.mode & SHM_DEST)));
  shmdt(q);
  shmdt(s);
  errno = 0;
  printf("gone: %d errno=%d\n", shmctl(id, IPC_STAT, &ds), errno);
  errno = 0;
  printf("bad id: %ld errno=%d\n", (long)shmat(-1, NULL, 0), errno);
}
// CHECK: shmget: 1
// CHECK-NEXT: stat: 0 segsz=12388 mode=600 nattch=0 cpid=1
// CHECK-NEXT: shmat: 1 aligned=1 nattch=1 maps=rw-
// CHECK-NEXT: zeroed: 1
// CHECK-NEXT: second attach: 1 distinct=1 sees=shared,z nattch=2 maps=r--
// CHECK-NEXT: write read-only: faults=1
// CHECK-NEXT: unaligned: -1 errno=22
// CHECK-NEXT: SHM_RND: 1 sees=shared
// CHECK-NEXT: over a mapping: -1 errno=22
// CHECK-NEXT: SHM_REMAP: 1 sees=shared nattch=4
// CHECK-NEXT: shmdt inside: -1 errno=22
// CHECK-NEXT: shmdt: 0 nattch=3 maps=none faults=1
// CHECK-NEXT: shmdt again: -1 errno=22
// CHECK-NEXT: munmap: 0 nattch=2
// CHECK-NEXT: shmdt after munmap: -1 errno=22
// CHECK-NEXT: child wrote: from child nattch=2
// CHECK-NEXT: IPC_INFO: 1 shmmni>0=1
// CHECK-NEXT: IPC_SET: 0 mode=640
// CHECK-NEXT: IPC_RMID: 0 dest=1
// CHECK-NEXT: gone: -1 errno=22
// CHECK-NEXT: bad id: -1 errno=22

static void semaphores(void) {
  int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
  printf("semget: %d\n", id >= 0);
  unsigned short set[3] = {1, 2, 3}, get[3] = {0, 0, 0};
  printf("SETALL: %d\n", semctl(id, 0, SETALL, set));
  printf("GETALL: %d %d %d %d\n", semctl(id, 0, GETALL, get), get[0], get[1],
         get[2]);
  struct semid_ds ds;
  memset(&ds, 0xff, sizeof ds);
  printf("IPC_STAT: %d nsems=%lu otime=%ld ctime>0=%d mode=%o\n",
         semctl(id, 0, IPC_STAT, &ds), (unsigned long)ds.sem_nsems,
         (long)ds.sem_otime, ds.sem_ctime > 0, ds.sem_perm.mode & 0777);
  struct sembuf ops[2] = {{0, -1, 0}, {2, 2, 0}};
  time_t before = time(NULL);
  printf("semop: %d val0=%d val2=%d pid=%d\n", semop(id, ops, 2),
         semctl(id, 0, GETVAL), semctl(id, 2, GETVAL),
         semctl(id, 0, GETPID) == getpid());
  semctl(id, 0, IPC_STAT, &ds);
  printf("otime: %d\n", ds.sem_otime >= before && ds.sem_otime <= time(NULL));
  struct sembuf wait0 = {0, -1, IPC_NOWAIT};
  errno = 0;
  printf("would block: %d errno=%d\n", semop(id, &wait0, 1), errno);
  struct timespec ts = {0, 20 * 1000 * 1000};
  wait0.sem_flg = 0;
  errno = 0;
  printf("semtimedop: %d errno=%d\n", semtimedop(id, &wait0, 1, &ts), errno);
  printf("SETVAL: %d val1=%d ncnt=%d zcnt=%d\n", semctl(id, 1, SETVAL, 7),
         semctl(id, 1, GETVAL), semctl(id, 1, GETNCNT), semctl(id, 1, GETZCNT));
  ds.sem_perm.mode = 0640;
  printf("IPC_SET: %d mode=%o nsems=%lu\n", semctl(id, 0, IPC_SET, &ds),
         (semctl(id, 0, IPC_STAT, &ds), ds.sem_perm.mode & 0777),
         (unsigned long)ds.sem_nsems);
  struct seminfo si;
  printf("SEM_INFO: %d semmsl>0=%d\n", semctl(id, 0, SEM_INFO, &si) >= 0,
         si.semmsl > 0);
  // Another process waits for the semaphore we post.
  semctl(id, 0, SETVAL, 0);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    struct sembuf w = {0, -1, 0};
    _exit(semop(id, &w, 1) == 0 ? 5 : 6);
  }
  while (semctl(id, 0, GETNCNT) == 0)
    usleep(1000);
  struct sembuf post = {0, 1, 0};
  semop(id, &post, 1);
  int st;
  waitpid(child, &st, 0);
  printf("child waited: %d\n", WEXITSTATUS(st));
  printf("IPC_RMID: %d\n", semctl(id, 0, IPC_RMID));
  errno = 0;
  printf("gone: %d errno=%d\n", semctl(id, 0, GETVAL), errno);
}
// CHECK: semget: 1
// CHECK-NEXT: SETALL: 0
// CHECK-NEXT: GETALL: 0 1 2 3
// CHECK-NEXT: IPC_STAT: 0 nsems=3 otime=0 ctime>0=1 mode=600
// CHECK-NEXT: semop: 0 val0=0 val2=5 pid=1
// CHECK-NEXT: otime: 1
// CHECK-NEXT: would block: -1 errno=11
// CHECK-NEXT: semtimedop: -1 errno=11
// CHECK-NEXT: SETVAL: 0 val1=7 ncnt=0 zcnt=0
// CHECK-NEXT: IPC_SET: 0 mode=640 nsems=3
// CHECK-NEXT: SEM_INFO: 1 semmsl>0=1
// CHECK-NEXT: child waited: 5
// CHECK-NEXT: IPC_RMID: 0
// CHECK-NEXT: gone: -1 errno=22

struct message {
  long type;
  char text[32];
};

static void messages(void) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  printf("msgget: %d\n", id >= 0);
  struct message m = {2, "hello"};
  printf("msgsnd: %d", msgsnd(id, &m, 6, 0));
  m.type = 1;
  strcpy(m.text, "first");
  printf(" %d\n", msgsnd(id, &m, 6, 0));
  struct msqid_ds ds;
  printf("IPC_STAT: %d qnum=%lu cbytes=%lu lspid=%d\n",
         msgctl(id, IPC_STAT, &ds), (unsigned long)ds.msg_qnum,
         (unsigned long)ds.__msg_cbytes, ds.msg_lspid == getpid());
  memset(&m, 0, sizeof m);
  printf("msgrcv type 1: %zd %ld %s\n", msgrcv(id, &m, sizeof m.text, 1, 0),
         m.type, m.text);
  errno = 0;
  printf("too small: %zd errno=%d\n", msgrcv(id, &m, 2, 0, 0), errno);
  memset(&m, 0, sizeof m);
  printf("MSG_NOERROR: %zd %ld %.2s\n",
         msgrcv(id, &m, 2, 0, MSG_NOERROR), m.type, m.text);
  errno = 0;
  printf("empty: %zd errno=%d\n", msgrcv(id, &m, sizeof m.text, 0, IPC_NOWAIT),
         errno);
  struct msginfo mi;
  printf("MSG_INFO: %d msgmax>0=%d\n", msgctl(id, MSG_INFO, (void *)&mi) >= 0,
         mi.msgmax > 0);
  printf("IPC_RMID: %d\n", msgctl(id, IPC_RMID, NULL));
  errno = 0;
  printf("gone: %d errno=%d\n", msgsnd(id, &m, 1, 0), errno);
}
// CHECK: msgget: 1
// CHECK-NEXT: msgsnd: 0 0
// CHECK-NEXT: IPC_STAT: 0 qnum=2 cbytes=12 lspid=1
// CHECK-NEXT: msgrcv type 1: 6 1 first
// CHECK-NEXT: too small: -1 errno=7
// CHECK-NEXT: MSG_NOERROR: 2 2 he
// CHECK-NEXT: empty: -1 errno=42
// CHECK-NEXT: MSG_INFO: 1 msgmax>0=1
// CHECK-NEXT: IPC_RMID: 0
// CHECK-NEXT: gone: -1 errno=22

static void mqName(char *name, size_t n) {
  snprintf(name, n, "/xlat-ipc-test-%d", getpid());
}

static void posixQueues(void) {
  char name[64];
  mqName(name, sizeof name);
  struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
  mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  printf("mq_open: %d\n", q >= 0);
  errno = 0;
  printf("exclusive: %d errno=%d\n",
         mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr), errno);
  struct mq_attr got;
  mq_getattr(q, &got);
  printf("attr: maxmsg=%ld msgsize=%ld curmsgs=%ld\n", got.mq_maxmsg,
         got.mq_msgsize, got.mq_curmsgs);
  printf("send: %d %d\n", mq_send(q, "low", 4, 1), mq_send(q, "high", 5, 9));
  char buf[64];
  unsigned prio = 0;
  printf("receive: %zd %s prio=%u\n", mq_receive(q, buf, sizeof buf, &prio),
         buf, prio);
  printf("receive: %zd %s prio=%u\n", mq_receive(q, buf, sizeof buf, &prio),
         buf, prio);
  errno = 0;
  printf("small buffer: %zd errno=%d\n", mq_receive(q, buf, 8, NULL), errno);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 20 * 1000 * 1000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  errno = 0;
  printf("timed out: %zd errno=%d\n",
         mq_timedreceive(q, buf, sizeof buf, NULL, &ts), errno);
  struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
  printf("setattr: %d old flags=%ld\n", mq_setattr(q, &nb, &old),
         old.mq_flags);
  errno = 0;
  printf("nonblocking: %zd errno=%d\n", mq_receive(q, buf, sizeof buf, NULL),
         errno);
  mq_close(q);
  printf("mq_unlink: %d\n", mq_unlink(name));
  errno = 0;
  printf("unlinked: %d errno=%d\n", mq_open(name, O_RDWR), errno);
}
// CHECK: mq_open: 1
// CHECK-NEXT: exclusive: -1 errno=17
// CHECK-NEXT: attr: maxmsg=4 msgsize=64 curmsgs=0
// CHECK-NEXT: send: 0 0
// CHECK-NEXT: receive: 5 high prio=9
// CHECK-NEXT: receive: 4 low prio=1
// CHECK-NEXT: small buffer: -1 errno=90
// CHECK-NEXT: timed out: -1 errno=110
// CHECK-NEXT: setattr: 0 old flags=0
// CHECK-NEXT: nonblocking: -1 errno=11
// CHECK-NEXT: mq_unlink: 0
// CHECK-NEXT: unlinked: -1 errno=2

static void shmRemap(void) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  errno = 0;
  printf("SHM_REMAP without address: %ld errno=%d\n",
         (long)shmat(id, NULL, SHM_REMAP), errno);
  shmctl(id, IPC_RMID, NULL);
}
// KERNEL: SHM_REMAP without address: -1 errno=22

static volatile sig_atomic_t notified, notifyCode, notifyValue;
static void onNotify(int sig, siginfo_t *si, void *ctx) {
  notified = sig;
  notifyCode = si->si_code;
  notifyValue = si->si_value.sival_int;
}

static volatile int threadValue;
static void onThreadNotify(union sigval v) { threadValue = v.sival_int; }

static void notify(void) {
  char name[64];
  mqName(name, sizeof name);
  struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 16};
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &attr);
  mq_unlink(name);
  struct sigaction sa = {0};
  sa.sa_sigaction = onNotify;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 1234;
  printf("mq_notify: %d\n", mq_notify(q, &ev));
  errno = 0;
  printf("second registration: %d errno=%d\n", mq_notify(q, &ev), errno);
  mq_send(q, "x", 1, 0);
  for (int i = 0; i < 1000 && !notified; ++i)
    usleep(1000);
  printf("signal: %d code=%d value=%d\n", notified, notifyCode, notifyValue);
  char buf[16];
  mq_receive(q, buf, sizeof buf, NULL);
  // SIGEV_NONE registers without a signal; NULL removes the registration.
  ev.sigev_notify = SIGEV_NONE;
  printf("SIGEV_NONE: %d remove: %d\n", mq_notify(q, &ev), mq_notify(q, NULL));
  // SIGEV_THREAD: libc's netlink-socket form of the request.
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_notify_function = onThreadNotify;
  ev.sigev_value.sival_int = 99;
  printf("SIGEV_THREAD: %d\n", mq_notify(q, &ev));
  mq_send(q, "y", 1, 0);
  for (int i = 0; i < 2000 && !threadValue; ++i)
    usleep(1000);
  printf("thread: %d\n", threadValue);
  mq_close(q);
}
// KERNEL-NEXT: mq_notify: 0
// KERNEL-NEXT: second registration: -1 errno=16
// KERNEL-NEXT: signal: 10 code=-3 value=1234
// KERNEL-NEXT: SIGEV_NONE: 0 remove: 0
// KERNEL-NEXT: SIGEV_THREAD: 0
// KERNEL-NEXT: thread: 99

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && !strcmp(argv[1], "kernel")) {
    shmRemap();
    notify();
    return 0;
  }
  struct sigaction sa = {0};
  sa.sa_handler = onSegv;
  sigaction(SIGSEGV, &sa, NULL);
  sharedMemory();
  semaphores();
  messages();
  posixQueues();
  return 0;
}
