//! Lazy pagination over list operations.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(u64) -> PageFuture<T> + Send>;

/// How a list operation addresses its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `offset` counts items: the next request starts after the items received so far.
    OffsetLimit,
    /// The position is a page number: the next request asks for the next page.
    PageNumber,
}

/// One page of a list response, as the generated fetch closure reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The total number of items the service reports, if it does.
    pub total: Option<u64>,
}

/// A `Stream<Item = Result<T, Error>>` of every item of a list operation, fetching pages only
/// as the items are consumed.
///
/// It ends after an empty page, after a page shorter than the requested page size, once the
/// reported total has been reached, or after [`max_pages`](Self::max_pages) pages. A non-empty
/// page equal to the one before it (a service that ignores the position parameter would
/// otherwise be asked forever) ends it with [`Error::Pagination`]. After an error it yields
/// that error and ends.
pub struct Paginator<T> {
    fetch: Fetch<T>,
    style: PageStyle,
    position: u64,
    page_size: Option<u64>,
    seen: u64,
    buffer: VecDeque<T>,
    pending: Option<PageFuture<T>>,
    done: bool,
    pages: u64,
    max_pages: Option<u64>,
    /// The items of the last page, to notice a page that repeats it.
    previous: Vec<T>,
}

// `T` is only ever moved out of the buffer, never pinned.
impl<T> Unpin for Paginator<T> {}

/// Builds a [`Paginator`].
///
/// `first` is the position of the first request (item offset for
/// [`PageStyle::OffsetLimit`], page number for [`PageStyle::PageNumber`], counted from 0 unless
/// [`first_page`](Paginator::first_page) says otherwise); `page_size` is the size the requests
/// ask for, `None` when the service's default applies; `fetch` sends the request for one
/// position.
pub fn paginate<T, F, Fut>(
    style: PageStyle,
    first: u64,
    page_size: Option<u64>,
    mut fetch: F,
) -> Paginator<T>
where
    T: Clone + PartialEq + Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let seen = match (style, page_size) {
        (PageStyle::OffsetLimit, _) => first,
        (PageStyle::PageNumber, Some(size)) => first.saturating_mul(size),
        // Unknown page size: the count of earlier items is unknown, so the total check may
        // need one extra (empty) page to notice the end.
        (PageStyle::PageNumber, None) => 0,
    };
    Paginator {
        fetch: Box::new(move |position| Box::pin(fetch(position))),
        style,
        position: first,
        page_size: page_size.filter(|size| *size > 0),
        seen,
        buffer: VecDeque::new(),
        pending: None,
        done: false,
        pages: 0,
        max_pages: None,
        previous: Vec::new(),
    }
}

impl<T: Clone + PartialEq> Paginator<T> {
    /// The number of pages fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// Fetches at most `pages` pages: the stream ends after the items of the last one, whether
    /// or not the service has more (0: no request at all).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self.done |= self.pages >= pages;
        self
    }

    /// Declares the number of the service's first page (for [`PageStyle::PageNumber`]; 0
    /// unless the operation counts from 1), so that the items before the starting page are
    /// counted right against the reported total.
    // Generated `paginate()` calls this with the spec's numbering; for a caller it could only
    // break the count, so it is not shown in the user-facing docs.
    #[doc(hidden)]
    pub fn first_page(mut self, first_page: u64) -> Self {
        if let (PageStyle::PageNumber, Some(size), 0) = (self.style, self.page_size, self.pages) {
            self.seen = self
                .position
                .saturating_sub(first_page)
                .saturating_mul(size);
        }
        self
    }

    /// The next item, fetching the next page when needed; `None` once every item was
    /// yielded. After an error the paginator ends. Needs no `StreamExt` import.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Drains the paginator into a vector, stopping at the first error. Needs no
    /// `TryStreamExt` import.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = self.try_next().await? {
            all.push(item);
        }
        Ok(all)
    }

    /// Drains the paginator into a vector, stopping at the first error (the same as
    /// [`try_collect`](Self::try_collect)).
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        self.try_collect().await
    }

    fn accept(&mut self, page: Page<T>) -> Result<(), Error> {
        self.pages += 1;
        let count = page.items.len() as u64;
        if count > 0 && page.items == self.previous {
            self.done = true;
            return Err(Error::Pagination {
                message: format!(
                    "the page at position {} repeats the previous page ({count} identical \
                     items); the service seems to ignore the paging parameter, so paging \
                     stopped instead of fetching the same page forever",
                    self.position
                ),
            });
        }
        self.seen = self.seen.saturating_add(count);
        let short = self.page_size.is_some_and(|size| count < size);
        let reached_total = page.total.is_some_and(|total| self.seen >= total);
        let limit = self.max_pages.is_some_and(|max| self.pages >= max);
        self.done = count == 0 || short || reached_total || limit;
        self.position = match self.style {
            PageStyle::OffsetLimit => self.position.saturating_add(count),
            PageStyle::PageNumber => self.position.saturating_add(1),
        };
        if !self.done {
            self.previous.clone_from(&page.items);
        }
        self.buffer.extend(page.items);
        Ok(())
    }
}

impl<T: Clone + PartialEq> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let position = this.position;
            let pending = this.pending.get_or_insert_with(|| (this.fetch)(position));
            match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.pending = None;
                    if let Err(error) = result.and_then(|page| this.accept(page)) {
                        this.done = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("style", &self.style)
            .field("position", &self.position)
            .field("page_size", &self.page_size)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
