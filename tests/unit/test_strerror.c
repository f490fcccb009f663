/* test_strerror.c: loader/rt/strerror.c (built here as ml_strerror) says
 * what glibc's strerror says, for every errno it knows, and glibc's
 * "Unknown error N" for the rest. */
#include <stdio.h>
#include <string.h>

char *ml_strerror(int e);

int main(void)
{
	int failed = 0, known = 0;

	for (int e = -3; e < 200; e++) {
		const char *ours = ml_strerror(e);
		char want[64];
		snprintf(want, sizeof want, "%s", strerror(e));
		if (strncmp(ours, "Unknown error ", 14))
			known++;
		else if (strncmp(want, "Unknown error ", 14))
			continue; /* not in our list: glibc's words are longer, ours say the number
				   */
		if (strcmp(ours, want)) {
			printf("FAIL errno %d: ours '%s', glibc '%s'\n", e, ours, want);
			failed = 1;
		}
	}
	printf("test_strerror: %d errnos in words as glibc says them%s\n", known,
	       failed ? ", FAILED" : "");
	return failed;
}
