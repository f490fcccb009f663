/* strerror.c: error words for the static loader.
 *
 * Why: musl's table has a message for every errno (2.2 KB); the loader only
 * ever reports what opening, reading, mapping, forking and the module system
 * calls return. These are the words glibc uses for them, which is what kmod
 * prints on the systems our users come from; any other number reads
 * "Unknown error N", as glibc says it. One string, entries separated by NUL,
 * in the order of the errno list, so the table costs a byte per entry. */
#include <errno.h>
#include <string.h>

#define ERRORS(X)                                                      \
	X(EPERM, "Operation not permitted")                            \
	X(ENOENT, "No such file or directory")                         \
	X(ESRCH, "No such process")                                    \
	X(EINTR, "Interrupted system call")                            \
	X(EIO, "Input/output error")                                   \
	X(ENXIO, "No such device or address")                          \
	X(E2BIG, "Argument list too long")                             \
	X(ENOEXEC, "Exec format error")                                \
	X(EBADF, "Bad file descriptor")                                \
	X(ECHILD, "No child processes")                                \
	X(EAGAIN, "Resource temporarily unavailable")                  \
	X(ENOMEM, "Cannot allocate memory")                            \
	X(EACCES, "Permission denied")                                 \
	X(EFAULT, "Bad address")                                       \
	X(ENOTBLK, "Block device required")                            \
	X(EBUSY, "Device or resource busy")                            \
	X(EEXIST, "File exists")                                       \
	X(EXDEV, "Invalid cross-device link")                          \
	X(ENODEV, "No such device")                                    \
	X(ENOTDIR, "Not a directory")                                  \
	X(EISDIR, "Is a directory")                                    \
	X(EINVAL, "Invalid argument")                                  \
	X(ENFILE, "Too many open files in system")                     \
	X(EMFILE, "Too many open files")                               \
	X(ENOTTY, "Inappropriate ioctl for device")                    \
	X(ETXTBSY, "Text file busy")                                   \
	X(EFBIG, "File too large")                                     \
	X(ENOSPC, "No space left on device")                           \
	X(ESPIPE, "Illegal seek")                                      \
	X(EROFS, "Read-only file system")                              \
	X(EMLINK, "Too many links")                                    \
	X(EPIPE, "Broken pipe")                                        \
	X(ERANGE, "Numerical result out of range")                     \
	X(EDEADLK, "Resource deadlock avoided")                        \
	X(ENAMETOOLONG, "File name too long")                          \
	X(ENOSYS, "Function not implemented")                          \
	X(ENOTEMPTY, "Directory not empty")                            \
	X(ELOOP, "Too many levels of symbolic links")                  \
	X(ENODATA, "No data available")                                \
	X(ETIME, "Timer expired")                                      \
	X(EBADMSG, "Bad message")                                      \
	X(EOVERFLOW, "Value too large for defined data type")          \
	X(EILSEQ, "Invalid or incomplete multibyte or wide character") \
	X(ENOTSOCK, "Socket operation on non-socket")                  \
	X(EPROTONOSUPPORT, "Protocol not supported")                   \
	X(EOPNOTSUPP, "Operation not supported")                       \
	X(EAFNOSUPPORT, "Address family not supported by protocol")    \
	X(ENOBUFS, "No buffer space available")                        \
	X(ETIMEDOUT, "Connection timed out")                           \
	X(ECANCELED, "Operation canceled")                             \
	X(ENOKEY, "Required key not available")                        \
	X(EKEYEXPIRED, "Key has expired")                              \
	X(EKEYREVOKED, "Key has been revoked")                         \
	X(EKEYREJECTED, "Key was rejected by service")

#define NUMBER(e, s) e,
#define TEXT(e, s) s "\0"

static const unsigned char numbers[] = { ERRORS(NUMBER) };
static const char texts[] = ERRORS(TEXT);
static char unknown[32];

char *strerror(int e)
{
	const char *s = texts;

	for (size_t i = 0; i < sizeof numbers; i++, s += strlen(s) + 1)
		if (numbers[i] == e)
			return (char *)s;
	if (e == 0)
		return (char *)"Success";
	/* "Unknown error N", the digits written backwards from the end of
	 * unknown and the words put before them (no strcpy/strcat: they
	 * would bring musl's stpcpy); not thread-safe, as strerror need not
	 * be. */
	char *d = unknown + sizeof unknown - 1;
	unsigned u = e < 0 ? 0u - (unsigned)e : (unsigned)e;
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	if (e < 0)
		*--d = '-';
	d -= sizeof "Unknown error " - 1;
	memcpy(d, "Unknown error ", sizeof "Unknown error " - 1);
	return d;
}
