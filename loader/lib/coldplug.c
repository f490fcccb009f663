/* coldplug.c: the event loop behind `modload coldplug` (see coldplug.h).
 * One thread owns the uevent socket and /sys and plans; workers only insert. */
#include "coldplug.h"

#include "devscan.h"
#include "fmt.h"
#include "log.h"
#include "lookup.h"
#include "num.h"
#include "readfile.h"
#include "report.h"
#include "uevent.h"
#include "waitspec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEEN_SLOTS 8192 /* distinct modaliases remembered; more are still loaded */
#define MAX_NEED 16	/* --load modules root-first waits for */
#define HUB_MS 1000	/* a new USB hub's ports are enumerated within this */
#define USB_STORAGE "/sys/bus/usb/drivers/usb-storage"

/* The guarded child's end of the pipe its parent waits on; -1 otherwise. */
static int guard_fd = -1;

/* Give the guard its status byte (once): it returns, the boot goes on. */
static void tell_guard(unsigned char status)
{
	if (guard_fd < 0)
		return;
	fd_flush();
	if (write(guard_fd, &status, 1) != 1) {
		/* the parent is gone or stopped waiting: nothing to tell */
	}
	close(guard_fd);
	guard_fd = -1;
}

struct loop {
	const struct coldplug_opts *o;
	const struct ml_ctx *c;
	struct exec e;
	struct plan p;
	char *seen[SEEN_SLOTS];
	unsigned nseen, nomatch, events;
	unsigned need[MAX_NEED], nneed;		   /* the --load chains' modules */
	long long t0, t_root, last_event, hub_end; /* ms of CLOCK_BOOTTIME */
	long long last_open;			   /* last uevent scanning() does not follow */
	long long front_t;			   /* the storage chain was last seen busy */
	unsigned kinds;				   /* of storage the --wait devices can be behind */
	int nomem;				   /* "out of memory" said */
};

/* Milliseconds since boot (integers: no floating point in the binary). */
#define now exec_now

/* 1 when alias is new (and remembers it), 0 when seen before. */
static int first_time(struct loop *l, const char *alias)
{
	uint32_t h = blob_hash_str(alias, strlen(alias)) & (SEEN_SLOTS - 1);
	for (unsigned i = 0; i < SEEN_SLOTS; i++, h = (h + 1) & (SEEN_SLOTS - 1)) {
		if (!l->seen[h]) {
			if (l->nseen + 1 >= SEEN_SLOTS)
				return 1; /* table full: plan anyway, the executor drops repeats */
			l->seen[h] = strdup(alias);
			l->nseen++;
			return 1;
		}
		if (!strcmp(l->seen[h], alias))
			return 0;
	}
	return 1;
}

/* Plan name (or mod, when name is NULL) and queue the plan; what the
 * planner returned. */
static int want(struct loop *l, const char *name, unsigned mod, unsigned flags)
{
	int err;

	err = name ? plan_request(&l->p, l->c, name, NULL, flags)
		   : plan_module(&l->p, l->c, mod, 0);
	if ((exec_add(&l->e, &l->p) < 0 || err == -ENOMEM) && !l->nomem++)
		log_err("coldplug: out of memory: some modules are not loaded");
	return err;
}

/* The kinds of storage a root can be behind, and which of them a root
 * named by its kernel name needs: the kernel names disks by their driver's
 * kind (vdX virtio-blk, nvmeXnY NVMe, mmcblkX MMC/SD, sdX and srX SCSI:
 * SATA, SCSI HBAs, virtio-scsi, UFS). A UUID=, LABEL= or MAJ:MIN root can
 * be behind any of them (K_ANY). */
enum { K_VIRTIO = 1, K_NVME = 2, K_MMC = 4, K_SCSI = 8, K_ANY = 15, K_USB = 16 };

static unsigned root_kinds(const char *spec)
{
	/* Each: 'A' + kinds, then the name's start. */
	static const char names[] = "Bvd Cnvme Emmcblk Isd Isr ";

	if (!strncmp(spec, "/dev/", 5))
		spec += 5;
	for (const char *n = names; *n; n++) {
		size_t len = strcspn(n + 1, " ");
		if (!strncmp(spec, n + 1, len))
			return (unsigned)(*n - 'A');
		n += len + 1;
	}
	return K_ANY;
}

/* 1 for a device of one of those kinds, read from its modalias (the class
 * the device itself declares, not a driver's name): a PCI mass storage
 * controller (class 01: IDE, SCSI, SATA, NVMe, virtio-blk/scsi), any virtio
 * PCI device (one transport module for all), an SD host controller, a SCSI
 * disk, CD or RBC, a virtio block or SCSI device, an MMC card, and on
 * device-tree machines the virtio-mmio transport and MMC/SD, SATA, NVMe and
 * UFS controllers; K_USB: a USB host controller (PCI class 0c03), for a
 * complete pass only. Not for the root: a USB disk is scanned only after
 * usb-storage's delay_use whatever the order, and putting every host
 * controller's enumeration first would slow the usual root. */
static int storage_alias(const char *a, unsigned kinds)
{
	/* A line each: 'A' + kinds, a modalias prefix, then " word"s, any of
	 * which the rest of the modalias contains. */
	static const char rows[] = "Ipci: bc01\n"
				   "Jpci: v00001AF4d\n"
				   "Cpci: bc01sc08\n"
				   "Epci: bc08sc05\n"
				   "Qpci: bc0Csc03\n"
				   "Bvirtio: d00000002v\n"
				   "Ivirtio: d00000008v\n"
				   "Iscsi: t-0x00 t-0x05 t-0x0e\n"
				   "Emmc: block\n"
				   "Jof: virtio,mmio\n"
				   "Eof: mmc sdhci\n"
				   "Iof: sata ahci ufs\n"
				   "Cof: nvme\n";

	for (const char *r = rows; *r; r++) { /* at a line's kinds */
		unsigned k = (unsigned)(*r++ - 'A');
		size_t plen = strcspn(r, " ");
		int mine = (k & kinds) && !strncmp(a, r, plen);
		for (r += plen; *r == ' ';) {
			size_t n = strcspn(++r, " \n");
			for (const char *p = a + plen; mine && *p; p++)
				if (!strncmp(p, r, n))
					return 1;
			r += n;
		}
	}
	return 0;
}

static void want_alias(void *ctx, const char *alias, const char *path)
{
	struct loop *l = ctx;
	int fresh = first_time(l, alias);

	/* A hub: its ports come next. Announced (path NULL: a uevent), or
	 * found by a scan for the first time: from now, as nothing tells how
	 * long ago it appeared (a pass after another may find a hub whose
	 * ports are still being enumerated). Not again at each rescan of /sys,
	 * which would hold the window open for good. */
	if ((fresh || !path) && !strncmp(alias, "usb:", 4) && has_text(alias, "ic09"))
		l->hub_end = now() + HUB_MS;
	if (!fresh)
		return;
	/* While the root is awaited, its chain goes ahead of the rest: with
	 * a few workers and dozens of drivers found at once, first come, first
	 * served would leave the root's driver behind every other probe. In a
	 * complete pass, storage and USB host controllers: the pass waits for
	 * what waits longest, an HBA's bus scan (sym53c8xx: ~3 s; the kernel
	 * adds the disks of later async SCSI scans only after it) and USB
	 * (enumeration, then usb-storage's delay_use), best begun first. */
	l->e.front = storage_alias(alias, l->kinds);
	if (want(l, alias, 0, PLAN_DEVICE) == -ENOENT) {
		l->nomatch++;
		report_record(OUT_NOMATCH, alias, "");
	}
	l->e.front = 0;
}

/* Names from the configuration and --load are asked for as modprobe NAME
 * would be: blacklist stops only what is reached through an alias. */
static void want_names(struct loop *l, char *const *names, unsigned n, const char *why)
{
	/* Asked for by name (the root's filesystem, rd.driver.pre, load
	 * lines): ahead of the storage drivers that want_alias puts in front,
	 * and never held back. */
	l->e.front = l->o->nwait != 0;
	for (unsigned i = 0; i < n; i++) {
		if (want(l, names[i], 0, 0) == -ENOENT)
			log_err("%s: module %s not found in %s", why, names[i], l->c->dir);
		for (unsigned k = 0; names == l->o->load && k < l->p.nchain && l->nneed < MAX_NEED;
		     k++)
			l->need[l->nneed++] = l->p.chain[k].mod;
	}
	l->e.front = 0;
}

static void want_flagged(struct loop *l)
{
	l->e.front = l->o->nwait != 0;
	for (uint32_t i = 0; i < blob_nmods(&l->c->b); i++)
		if (blob_mod(&l->c->b, i).flags & BM_LOAD)
			want(l, NULL, i, 0);
	l->e.front = 0;
}

static void rescan(struct loop *l)
{
	const char *root = l->o->devices ? l->o->devices : "/sys/devices";
	int r = devscan(root, want_alias, l);

	if (r < 0)
		log_err("%s: %s", root, strerror(-r));
}

/* 1 when devpath (of a uevent) lies below the SCSI host of a USB interface
 * that usb-storage drives (.../B-P:C.I/hostN/...): scanning() follows that
 * host's scan to its end, every LUN with its driver, so its announcements
 * need no quiet window after them (the disk's own are the boot's last). */
static int behind_usb_storage(const char *devpath) /* NULL: no */
{
	char path[PATH_MAX];
	const char *p, *intf = devpath;

	/* The interface's children are hostN and its endpoints (ep_NN). */
	for (p = devpath; p && (p = strchr(p, '/')); intf = ++p)
		if (!strncmp(p, "/host", 5) && (unsigned)(p[5] - '0') < 10)
			break;
	if (!p)
		return 0;
	fmt_snprintf(path, sizeof path, "%s/%.*s", USB_STORAGE, (int)(p - intf), intf);
	return access(path, F_OK) == 0;
}

static void drain_uevents(struct loop *l, int fd, char *buf)
{
	struct uevent ev;
	int r;

	while ((r = uevent_read(fd, buf, &ev)) != -EAGAIN) {
		if (r == -ENOBUFS) {
			log_warn("uevent buffer overrun: missed events, rescanning /sys");
			rescan(l);
			continue;
		}
		if (r < 0) {
			log_err("uevent socket: %s", strerror(-r));
			return;
		}
		if (r == 0)
			continue;
		l->events++;
		l->last_event = now();
		if (!behind_usb_storage(ev.devpath))
			l->last_open = l->last_event;
		if (!ev.modalias || !ev.action || strcmp(ev.action, "add"))
			continue;
		want_alias(l, ev.modalias, NULL);
	}
}

static int waits_met(struct loop *l)
{
	for (int i = 0; i < l->o->nwait; i++)
		if (!waitspec_present(l->o->wait[i]))
			return 0;
	if (l->o->nwait && !l->t_root)
		l->t_root = now();
	return 1;
}

/* Whether dir has an entry whose name starts with prefix (into name). */
static int has_entry(const char *dir, const char *prefix, char *name, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	while (d && !found && (de = readdir(d)))
		if ((found = !strncmp(de->d_name, prefix, strlen(prefix))))
			fmt_snprintf(name, cap, "%s/%s", dir, de->d_name);
	if (d)
		closedir(d);
	return found;
}

/* 1 when SCSI host number host has found a LUN (H:C:T:L, listed flat in
 * /sys/bus/scsi/devices) and each of its LUNs has a driver: its scan is
 * over and each disk it found has its node (sd probes asynchronously,
 * after the LUN is announced). */
static int host_settled(const char *host)
{
	static const char bus[] = "/sys/bus/scsi/devices";
	char lun[PATH_MAX], pre[16];
	int n = 0;
	struct dirent *de;
	DIR *d = opendir(bus);

	fmt_snprintf(pre, sizeof pre, "%s:", host + 4);
	while (d && n >= 0 && (de = readdir(d)))
		if (!strncmp(de->d_name, pre, strlen(pre))) {
			fmt_snprintf(lun, sizeof lun, "%s/%s/driver", bus, de->d_name);
			n = access(lun, F_OK) ? -1 : n + 1;
		}
	if (d)
		closedir(d);
	return n > 0;
}

/* 1 while a bus is known to be still finding devices, though no load is
 * in flight and no uevent came for a while: a USB hub appeared less than
 * HUB_MS ago (its ports are being enumerated); a usb-storage interface has
 * no SCSI host yet, or its host no LUN yet or a LUN without its driver (it
 * scans delay_use seconds after binding, then sd probes each LUN; given up
 * delay_use + 3 s after the last uevent, so a LUN no driver takes costs
 * that much, not a hang); an asynchronous SCSI scan runs (the kernel
 * thread scsi_scan_N exists). */
static int scanning(struct loop *l)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct dirent *de;
	int busy = now() < l->hub_end, delay = 1;
	DIR *d = opendir(USB_STORAGE);

	if (read_small(AT_FDCWD, "/sys/module/usb_storage/parameters/delay_use", a, 32) > 0) {
		a[strcspn(a, "\n")] = '\0';
		parse_int_word(a, &delay);
	}
	while (d && !busy && (de = readdir(d)))
		if (strchr(de->d_name, ':') && now() - l->last_event < 1000LL * (delay + 3)) {
			fmt_snprintf(a, sizeof a, "%s/%s", USB_STORAGE, de->d_name);
			busy = !has_entry(a, "host", b, sizeof b) ||
			       !host_settled(strrchr(b, '/') + 1);
		}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && !busy && (de = readdir(d))) {
		fmt_snprintf(a, sizeof a, "/proc/%s/comm", de->d_name);
		if (de->d_name[0] > '0' && de->d_name[0] <= '9' &&
		    read_small(AT_FDCWD, a, b, 64) >= 0)
			busy = !strncmp(b, "scsi_scan_", 10);
	}
	if (d)
		closedir(d);
	return busy;
}

/* Root-first: the storage chain (exec front) is loaded alone, without
 * the other drivers competing with it for the CPUs, until it has settled:
 * none of it queued or loading for --idle ms (a controller's disks are
 * announced as its insert returns or soon after). Then the root is not
 * behind it (a USB disk): the rest goes too. A slow storage insert holds
 * the rest back until it returns or its deadline makes it hung. */
static void release_hold(struct loop *l)
{
	long long t = now();

	if (exec_front_busy(&l->e))
		l->front_t = t;
	else if (t - l->front_t >= l->o->idle_ms) {
		log_dbg("coldplug: storage chain settled, loading the rest");
		exec_hold(&l->e, 0);
	}
}

static int done(struct loop *l)
{
	long long t = now(), quiet = t - l->last_event;

	if (l->o->root_first) { /* the root and its filesystem; the rest is not waited for */
		for (unsigned i = 0; i < l->nneed; i++) {
			enum mod_state st = exec_state(&l->e, l->need[i]);
			if (st == MS_QUEUED || st == MS_LOADING)
				return 0;
		}
		return waits_met(l) && quiet >= l->o->settle_ms;
	}
	if (exec_busy(&l->e))
		return 0;
	if (l->o->nwait)
		return waits_met(l) && quiet >= l->o->settle_ms;
	return t - l->last_open >= l->o->idle_ms && (l->o->isolated || !scanning(l));
}

/* Run until done or the deadline; returns 0, or -ETIMEDOUT. */
static int run_events(struct loop *l, int ufd, int notify_rd, long long deadline)
{
	static char buf[UEVENT_BUF];
	struct pollfd p[2] = { { notify_rd, POLLIN, 0 }, { ufd, POLLIN, 0 } };

	for (;;) {
		if (!l->e.nworkers)
			exec_run(&l->e); /* no worker could start: insert here */
		exec_expire(&l->e);
		if (l->e.hold)
			release_hold(l);
		if (done(l))
			return 0;
		long long left = deadline - now();
		char junk[64];
		if (left <= 0)
			return -ETIMEDOUT;
		/* Wake at least every 50 ms: a --wait device can appear with no
		 * uevent we act on (devtmpfs creates the node on its own). */
		int r = poll(p, ufd >= 0 ? 2 : 1, left < 50 ? (int)left + 1 : 50);
		if (r < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return -errno;
		}
		if (p[0].revents & POLLIN)
			while (read(notify_rd, junk, sizeof junk) > 0)
				;
		if (ufd >= 0 && p[1].revents & POLLIN)
			drain_uevents(l, ufd, buf);
		if (ufd < 0 && !l->o->isolated && !exec_busy(&l->e))
			rescan(l); /* no socket: fall back to polling /sys */
	}
}

static void summary(struct loop *l, int timed_out)
{
	const struct exec_counts *n = &l->e.n;
	long long t = now();
	log_msg(LOG_N,
		"coldplug: %u loaded, %u failed, %u skipped, %u already live, %u builtin, %u hung, "
		"%u left; %u modaliases (%u unmatched), %u uevents; start %lld.%03llds, root "
		"%s%lld.%03llds, done %lld.%03llds (+%lld.%03llds)%s",
		n->loaded, n->failed, n->skipped, n->already, n->builtin, n->hung, exec_busy(&l->e),
		l->nseen, l->nomatch, l->events, l->t0 / 1000, l->t0 % 1000,
		l->t_root ? "" : "n/a ", l->t_root / 1000, l->t_root % 1000, t / 1000, t % 1000,
		(t - l->t0) / 1000, (t - l->t0) % 1000, timed_out ? ", TIMED OUT" : "");
}

static void loop_free(struct loop *l, int ufd, const int *notify)
{
	for (unsigned i = 0; i < SEEN_SLOTS; i++)
		free(l->seen[i]);
	plan_free(&l->p);
	if (ufd >= 0)
		close(ufd);
	close(notify[0]);
	close(notify[1]);
	free(l);
}

int coldplug_loop(const struct ml_ctx *c, const struct exec_ops *ops, const struct coldplug_opts *o,
		  struct exec_counts *n)
{
	struct loop *l = calloc(1, sizeof *l);
	int notify[2] = { -1, -1 }, ufd = -1, err;

	if (!l || plan_init(&l->p, c) < 0 || exec_init(&l->e, c, ops) < 0) {
		if (l)
			plan_free(&l->p);
		free(l);
		log_err("coldplug: out of memory");
		return -ENOMEM;
	}
	l->o = o;
	l->c = c;
	l->e.deadline_ms = o->deadline * 1000;
	l->t0 = l->last_event = l->last_open = l->front_t = now();
	l->e.hold = o->root_first && o->nwait;
	for (int i = 0; i < o->nwait; i++) /* root-first without --wait: no front */
		l->kinds |= root_kinds(o->wait[i]);
	if (!o->root_first)
		l->kinds = K_ANY | K_USB;
	if (!o->isolated)
		exec_scan_loaded(&l->e);
	if (!o->isolated && (ufd = uevent_open()) < 0)
		log_warn("uevent socket: %s; falling back to rescanning /sys", strerror(-ufd));
	if (pipe2(notify, O_CLOEXEC | O_NONBLOCK) < 0) {
		err = -errno;
		log_err("coldplug: pipe: %s", strerror(-err));
		exec_stop(&l->e, 0);
		loop_free(l, ufd, notify); /* nothing seen yet; notify's -1s close nothing */
		return err;
	}
	if ((err = exec_start(&l->e, o->jobs, notify[1])) < 0)
		log_err("coldplug: cannot start workers: %s; inserting in the event loop",
			strerror(-err));
	want_names(l, c->cfg.pre, c->cfg.npre, "rd.driver.pre");
	want_flagged(l);
	want_names(l, c->cfg.load, c->cfg.nload, "load");
	want_names(l, o->load, o->nload, "--load");
	log_dbg("coldplug: scanning /sys");
	rescan(l);
	log_dbg("coldplug: scan done, %u modaliases", l->nseen);
	err = run_events(l, ufd, notify[0], l->t0 + 1000LL * o->timeout);
	if (!err && c->cfg.npost) {
		want_names(l, c->cfg.post, c->cfg.npost, "rd.driver.post");
		err = run_events(l, ufd, notify[0], l->t0 + 1000LL * o->timeout);
	}
	if (err == -ETIMEDOUT) {
		exec_report_pending(&l->e);
		for (int i = 0; i < o->nwait; i++)
			if (!waitspec_present(o->wait[i]))
				log_err("coldplug: %s did not appear within %d s", o->wait[i],
					o->timeout);
	}
	summary(l, err == -ETIMEDOUT);
	if (n)
		*n = l->e.n;
	if (guard_fd >= 0) { /* the boot goes on now; this process ends after the inserts */
		tell_guard(err < 0 && err != -ETIMEDOUT);
		exec_stop(&l->e, EXEC_JOIN);
		loop_free(l, ufd, notify);
	} else if (!exec_stop(&l->e, err == -ETIMEDOUT ? EXEC_LEAVE : EXEC_IDLE))
		loop_free(l, ufd, notify); /* else a worker may still use it */
	return err;
}

int coldplug_run(const struct coldplug_opts *o)
{
	static struct ml_ctx c;
	int err;

	if (o->record)
		report_record_open(o->record);
	if (ctx_open(&c, o->dir, NULL) < 0)
		return -ENOENT;
	if (ctx_check_kernel(&c) < 0) {
		ctx_close(&c);
		return -EXDEV;
	}
	ctx_configure_boot(&c, RUNTIME_CONFIG);
	/* c stays open: a worker may still be inside an insert; the process
	 * ends next. */
	err = coldplug_loop(&c, &exec_kernel, o, NULL);
	return err == -ETIMEDOUT ? 0 : err;
}

/* The parent waits for the child's one status byte, or for the timeout. */
static int supervise(pid_t child, int rd, int timeout)
{
	struct pollfd p = { rd, POLLIN, 0 };
	unsigned char status = 1;
	int r;

	do
		r = poll(&p, 1, (timeout + 5) * 1000);
	while (r < 0 && errno == EINTR);
	if (r > 0 && read(rd, &status, 1) == 1) {
		waitpid(child, NULL, WNOHANG); /* reap it if it is already gone */
		return status;
	}
	log_err("coldplug: no answer %d s after its timeout; continuing the boot without it", 5);
	return 1;
}

int coldplug_guarded(const struct coldplug_opts *o)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, 0) < 0) { /* pipe2: loader/rt's, one system call */
		log_err("coldplug: pipe: %s", strerror(errno));
		return coldplug_run(o) < 0;
	}
	pid = fork();
	if (pid < 0) {
		log_err("coldplug: fork: %s; running without a guard", strerror(errno));
		return coldplug_run(o) < 0;
	}
	if (pid == 0) {
		/* The status goes to the parent as soon as the loop is done;
		 * inserts still in flight then finish before this child ends,
		 * since ending would kill them (coldplug_loop). */
		unsigned char status;
		close(pipefd[0]);
		guard_fd = pipefd[1];
		status = coldplug_run(o) < 0;
		tell_guard(status);
		_exit(status);
	}
	close(pipefd[1]);
	return supervise(pid, pipefd[0], o->timeout);
}
