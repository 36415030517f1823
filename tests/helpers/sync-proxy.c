/* sync-proxy.c — a test tool: a TCP proxy on loopback that cuts connections at random
 * points, for the sync fault tests.
 *   sync-proxy LISTEN_PORT TARGET_PORT CUT_PERCENT SEED MAX_SECONDS
 * Each accepted connection is forwarded to 127.0.0.1:TARGET_PORT; with CUT_PERCENT
 * probability it is reset (RST, both sides) after a random number of bytes (1..1500, any
 * direction). SIGUSR1 stops cutting, SIGUSR2 starts again. Exits after MAX_SECONDS. Prints
 * "cut N" on stderr for each cut. CUT_PERCENT -1 is a black hole: connections are
 * accepted and nothing is ever forwarded (a dead mobile link). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAIRS 64

struct pair {
	int fd[2];		/* client, target */
	long budget;		/* bytes left before the cut; -1: never */
};

static volatile sig_atomic_t cutting = 1;

static void on_usr1(int s) { (void)s; cutting = 0; }
static void on_usr2(int s) { (void)s; cutting = 1; }

static void
hard_close(int fd)
{
	struct linger l = { 1, 0 };

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

static void
drop(struct pair *p, int rst)
{
	if (rst) {
		hard_close(p->fd[0]);
		hard_close(p->fd[1]);
	} else {
		close(p->fd[0]);
		close(p->fd[1]);
	}
	p->fd[0] = p->fd[1] = -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a;
	struct pollfd pfd[1 + 2 * PAIRS];
	struct pair pairs[PAIRS];
	int lfd, one = 1, cut, i, n, k, target;
	long cuts = 0;
	time_t end;
	char buf[4096];
	ssize_t r;

	if (argc != 6)
		return 1;
	target = atoi(argv[2]);
	cut = atoi(argv[3]);
	srand((unsigned)atoi(argv[4]));
	end = time(NULL) + atoi(argv[5]);
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < PAIRS; i++)
		pairs[i].fd[0] = pairs[i].fd[1] = -1;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 16) != 0) {
		perror("sync-proxy");
		return 1;
	}
	fprintf(stderr, "listening\n");
	while (time(NULL) < end) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < PAIRS; i++)
			for (k = 0; k < 2; k++) {
				pfd[1 + 2 * i + k].fd = pairs[i].fd[k];
				pfd[1 + 2 * i + k].events = POLLIN;
				pfd[1 + 2 * i + k].revents = 0;
			}
		if ((n = poll(pfd, 1 + 2 * PAIRS, 200)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			int c = accept(lfd, NULL, NULL), t;
			for (i = 0; i < PAIRS && pairs[i].fd[0] >= 0; i++)
				;
			if (c >= 0 && i == PAIRS)
				close(c);
			else if (c >= 0) {
				t = socket(AF_INET, SOCK_STREAM, 0);
				a.sin_port = htons((uint16_t)target);
				if (connect(t, (struct sockaddr *)&a, sizeof a) != 0) {
					hard_close(c);
					close(t);
				} else {
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					setsockopt(t, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					pairs[i].fd[0] = c;
					pairs[i].fd[1] = t;
					pairs[i].budget = cutting && rand() % 100 < cut ?
					    1 + rand() % 1500 : -1;
				}
			}
		}
		for (i = 0; i < PAIRS; i++) {
			for (k = 0; k < 2 && pairs[i].fd[0] >= 0; k++) {
				if (!(pfd[1 + 2 * i + k].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				r = read(pairs[i].fd[k], buf, sizeof buf);
				if (cut < 0 && r > 0)
					continue;	/* swallowed */
				if (r <= 0) {
					drop(&pairs[i], r < 0);
					break;
				}
				if (pairs[i].budget >= 0 && cutting) {
					if (r >= pairs[i].budget) {
						if (pairs[i].budget > 0 &&
						    write(pairs[i].fd[1 - k], buf,
						    (size_t)pairs[i].budget) < 0) {
							/* cut anyway */
						}
						drop(&pairs[i], 1);
						fprintf(stderr, "cut %ld\n", ++cuts);
						break;
					}
					pairs[i].budget -= r;
				}
				if (write(pairs[i].fd[1 - k], buf, (size_t)r) != r) {
					drop(&pairs[i], 1);
					break;
				}
			}
		}
	}
	return 0;
}
