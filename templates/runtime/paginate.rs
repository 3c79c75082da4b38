//! Lazy pagination over list operations.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::runtime::Error;

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
/// It ends after an empty page, after a page shorter than the requested page size, or once
/// the reported total has been reached. After an error it yields that error and ends.
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
}

// `T` is only ever moved out of the buffer, never pinned.
impl<T> Unpin for Paginator<T> {}

/// Builds a [`Paginator`].
///
/// `first` is the position of the first request (item offset for
/// [`PageStyle::OffsetLimit`], page index for [`PageStyle::PageNumber`]); `page_size` is the
/// size the requests ask for, `None` when the service's default applies; `fetch` sends the
/// request for one position.
pub fn paginate<T, F, Fut>(
    style: PageStyle,
    first: u64,
    page_size: Option<u64>,
    mut fetch: F,
) -> Paginator<T>
where
    T: Send + 'static,
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
    }
}

impl<T> Paginator<T> {
    /// The number of pages fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// Drains the paginator into a vector, stopping at the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.push(item?);
        }
        Ok(all)
    }

    fn accept(&mut self, page: Page<T>) {
        self.pages += 1;
        let count = page.items.len() as u64;
        self.seen = self.seen.saturating_add(count);
        let short = self.page_size.is_some_and(|size| count < size);
        let reached_total = page.total.is_some_and(|total| self.seen >= total);
        self.done = count == 0 || short || reached_total;
        self.position = match self.style {
            PageStyle::OffsetLimit => self.position.saturating_add(count),
            PageStyle::PageNumber => self.position.saturating_add(1),
        };
        self.buffer.extend(page.items);
    }
}

impl<T> Stream for Paginator<T> {
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
                    match result {
                        Ok(page) => this.accept(page),
                        Err(error) => {
                            this.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
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
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
